// An MCP server (stdio, or Streamable HTTP with --http PORT) with tools that make what the everything server does not
// on demand: a failing tool, a call that waits to be cancelled, a process that ends mid-call, one that prints what is
// not JSON-RPC, a call whose HTTP connection the server cuts, a count of the calls that reached it, and a tool added
// while it runs.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { spawn } from "node:child_process";

// --stubborn: ignores SIGTERM and starts a child process that ignores it too, as a server started through a
// launcher that does not pass the signal on would. --mute: never answers, not even the handshake.
const stubborn = process.argv.includes("--stubborn");
const mute = process.argv.includes("--mute");
// --http PORT: Streamable HTTP on 127.0.0.1:PORT/mcp, a session (and a server of these tools) per client.
const httpPort = process.argv.includes("--http") ? Number(process.argv[process.argv.indexOf("--http") + 1]) : undefined;
if (stubborn) {
  process.on("SIGTERM", () => {});
  spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);"], { stdio: "ignore" });
}

let recorded = 0;
let cancelled = 0;
// Over HTTP: the transport of each session the server knows, and how many were set up.
const sessions = new Map();
let sessionsSetUp = 0;

function serve() {
  const server = new McpServer({ name: "agentchat-test", version: "1.0.0" });

  server.registerTool("record", {
    description: "Returns its text and counts the calls that reach it",
    inputSchema: z.object({ text: z.string() }),
  }, async ({ text }) => {
    recorded += 1;
    return { content: [{ type: "text", text: `recorded: ${text}` }] };
  });

  server.registerTool("counts", {
    description: "How many calls of record reached this server, and how many calls were cancelled",
    inputSchema: z.object({}),
  }, async () => ({ content: [{ type: "text", text: JSON.stringify({ recorded, cancelled, sessions: sessionsSetUp }) }] }));

  // Two schemas the SDK's shared validator cannot tell apart (it caches by Map.hashCode).
  server.registerTool("pair-a", {
    description: "Takes a as a string and b as a number",
    inputSchema: z.object({ a: z.string(), b: z.number().optional() }),
  }, async () => ({ content: [{ type: "text", text: "pair-a" }] }));

  server.registerTool("pair-b", {
    description: "Takes a as a number and b as a string",
    inputSchema: z.object({ a: z.number(), b: z.string().optional() }),
  }, async () => ({ content: [{ type: "text", text: "pair-b" }] }));

  server.registerTool("fail", {
    description: "Answers with an error result",
    inputSchema: z.object({}),
  }, async () => ({ isError: true, content: [{ type: "text", text: "the disk is full" }] }));

  server.registerTool("wait", {
    description: "Reports progress once, then waits until cancelled or the given seconds pass",
    inputSchema: z.object({ seconds: z.number() }),
  }, async ({ seconds }, extra) => {
    const progressToken = extra._meta?.progressToken;
    if (progressToken !== undefined) {
      await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress: 0, message: "waiting" } });
    }
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      extra.signal.addEventListener("abort", () => { cancelled += 1; clearTimeout(timer); resolve(); });
    });
    return { content: [{ type: "text", text: "waited" }] };
  });

  server.registerTool("add-tool", {
    description: "Adds a tool of the given name, which answers its name; with the description given, and as many string parameters as asked",
    inputSchema: z.object({ name: z.string(), description: z.string().optional(), parameters: z.number().optional() }),
  }, async ({ name, description, parameters }) => {
    const shape = {};
    for (let i = 0; i < (parameters ?? 0); i += 1) {
      shape[`parameter_number_${i}`] = z.string();
    }
    server.registerTool(name, { description: description ?? "Added while running", inputSchema: z.object(shape) },
      async () => ({ content: [{ type: "text", text: name }] }));
    return { content: [{ type: "text", text: `added ${name}` }] };
  });

  server.registerTool("environment", {
    description: "The names of the environment variables this server's process has",
    inputSchema: z.object({}),
  }, async () => ({ content: [{ type: "text", text: JSON.stringify(Object.keys(process.env).sort()) }] }));

  server.registerTool("print-junk", {
    description: "Reports progress once, then prints the given line, which is not JSON-RPC, to its output, and never answers",
    // The line is required, so that a call with no arguments (as every tool gets in the contract test) never runs it.
    inputSchema: z.object({ line: z.string() }),
  }, async ({ line }, extra) => {
    const progressToken = extra._meta?.progressToken;
    if (progressToken !== undefined) {
      await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress: 0, message: "printing" } });
    }
    process.stdout.write(`${line}\n`);
    return new Promise(() => {});
  });

  server.registerTool("exit", {
    description: "Ends this server's process without answering",
    inputSchema: z.object({}),
  }, () => {
    setTimeout(() => process.exit(3), 50);
    return new Promise(() => {});
  });

  server.registerTool("drop", {
    description: "Over HTTP, the server closes this call's connection without answering; over stdio, answers",
    // Required, so that a call with no arguments (as every tool gets in the contract test) never runs it.
    inputSchema: z.object({ why: z.string() }),
  }, async () => ({ content: [{ type: "text", text: "not dropped: this is not HTTP" }] }));

  server.registerTool("forget-session", {
    description: "Over HTTP, the server forgets the session of this call, as one that restarted or expired it would",
    inputSchema: z.object({}),
  }, async (_, extra) => {
    sessions.delete(extra.sessionId);
    return { content: [{ type: "text", text: "forgotten" }] };
  });

  return server;
}

if (mute) {
  setInterval(() => {}, 1000);
} else if (httpPort !== undefined) {
  createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) {
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? JSON.parse(text) : undefined;
    if (body?.method === "tools/call" && body.params?.name === "drop") {
      request.socket.destroy(); // this call's connection only: the others go on
      return;
    }
    const id = request.headers["mcp-session-id"];
    let transport = id === undefined ? undefined : sessions.get(id);
    if (transport === undefined) {
      if (id !== undefined) {
        response.writeHead(404).end();
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (session) => {
          sessions.set(session, transport);
          sessionsSetUp += 1;
        },
      });
      await serve().connect(transport);
    }
    await transport.handleRequest(request, response, body);
  }).listen(httpPort, "127.0.0.1", () => console.log(`listening on port ${httpPort}`));
} else {
  await serve().connect(new StdioServerTransport());
}
