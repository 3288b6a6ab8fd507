// Runs one scenario of @ag-ui/client's HttpAgent against the service and prints what happened as one JSON line
// on stdout, for AgUiClientTest to assert on (the library's own warnings and errors go to stderr).
// Usage: node run-scenario.mjs <service base URL> <scenario>
import { HttpAgent, buildResumeArray } from "@ag-ui/client";
import * as schemas from "@ag-ui/core/schemas";

const [baseUrl, scenario] = process.argv.slice(2);
if (!baseUrl || !scenario) {
  console.error("usage: node run-scenario.mjs <service base URL> <scenario>");
  process.exit(2);
}

// The client strips fields it does not know and drops event types it does not know, and says so only in a
// console warning ("[ag-ui][enforce] ..."); a run that loses anything that way must fail, so every warning
// of the library is kept and reported.
const warnings = [];
const warn = console.warn.bind(console);
console.warn = (...parts) => {
  const text = parts.map(String).join(" ");
  if (text.startsWith("[ag-ui]")) {
    warnings.push(text);
  }
  warn(...parts);
};

/** The per-type schema of an event type: TEXT_MESSAGE_START -> TextMessageStartEventSchema. */
function schemaOf(type) {
  const name = type.toLowerCase().split("_").map(word => word[0].toUpperCase() + word.slice(1)).join("") + "EventSchema";
  return schemas[name];
}

/** What is wrong with one event by the released schemas: the union of all events, then its own type's schema. */
function schemaProblems(event, where) {
  const problems = [];
  const any = schemas.EventSchemas.safeParse(event);
  if (!any.success) {
    problems.push(`${where} ${event.type}: not an AG-UI event: ${any.error.message}`);
  }
  const own = typeof event.type === "string" ? schemaOf(event.type) : undefined;
  if (!own) {
    problems.push(`${where}: no schema for event type ${JSON.stringify(event.type)}`);
  } else {
    const checked = own.safeParse(event);
    if (!checked.success) {
      problems.push(`${where} ${event.type}: ${checked.error.message}`);
    }
  }
  return problems;
}

/** Paths of the nulls in a value: the server omits a field rather than send null. */
function nullsIn(value, path = "") {
  if (value === null) {
    return [path || "/"];
  }
  if (typeof value !== "object") {
    return [];
  }
  return Object.entries(value).flatMap(([key, inner]) => nullsIn(inner, `${path}/${key}`));
}

/**
 * A fetch that hands the client the response and keeps a copy of its body, so that the frames are checked as
 * they were on the wire: the client's own pipeline repairs some faults (a null it converts, a field it strips)
 * before a subscriber sees the event.
 */
function recordingFetch(wire, send = fetch) {
  return async (url, init) => {
    const response = await send(url, init);
    if (!response.ok || !response.body) {
      return response;
    }
    const [kept, handed] = response.body.tee();
    wire.reading = new Response(kept).text().then(text => { wire.text = text; });
    wire.contentType = response.headers.get("content-type");
    return new Response(handed, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** The wire's frames: data frames parsed, comments counted, and what is wrong with any of them. */
function readWire(text) {
  const problems = [];
  if (text.includes("\r")) {
    problems.push("the stream holds a carriage return: frames must be separated by \\n only");
  }
  const frames = text.split("\n\n").filter(frame => frame.length > 0);
  const events = [];
  let comments = 0;
  const withoutId = [];
  frames.forEach((frame, index) => {
    const lines = frame.split("\n");
    const data = lines.filter(line => line.startsWith("data:")).map(line => line.slice(5).replace(/^ /, ""));
    if (data.length === 0) {
      if (lines.every(line => line.startsWith(":"))) {
        comments++;
      } else {
        problems.push(`frame ${index} has no data and is not a comment: ${JSON.stringify(frame)}`);
      }
      return;
    }
    let event;
    try {
      event = JSON.parse(data.join("\n"));
    } catch (e) {
      problems.push(`frame ${index} is not JSON: ${e.message}`);
      return;
    }
    if (!lines.some(line => line.startsWith("id:"))) {
      withoutId.push(event.type);
    }
    for (const path of nullsIn(event)) {
      problems.push(`frame ${index} ${event.type}: null at ${path}`);
    }
    problems.push(...schemaProblems(event, `frame ${index}`));
    events.push(event);
  });
  return { events, comments, withoutId, problems };
}

/** One runAgent() of the agent, with subscribers that record every event, and what the wire held. */
async function run(agent, wire, parameters = {}) {
  const events = [];
  const problems = [];
  let failure = null;
  let runError = null;
  const subscriber = {
    onEvent: ({ event }) => {
      events.push(event);
      problems.push(...schemaProblems(event, `event ${events.length - 1}`));
    },
    onRunErrorEvent: ({ event }) => { runError = { message: event.message, code: event.code ?? null }; },
    onRunFailed: ({ error }) => { failure = describe(error); },
  };
  const warned = warnings.length;
  wire.text = "";
  wire.contentType = undefined;
  wire.reading = Promise.resolve();
  try {
    await agent.runAgent(parameters, subscriber);
  } catch (error) {
    failure ??= describe(error);
  }
  await wire.reading;
  const onWire = { ...readWire(wire.text), contentType: wire.contentType };
  problems.push(...onWire.problems, ...warnings.slice(warned));
  return summary(agent, events, onWire, failure, runError, problems);
}

function describe(error) {
  return { message: String(error?.message ?? error), status: error?.status ?? null, payload: error?.payload ?? null };
}

/** What the Java test asserts on. */
function summary(agent, events, onWire, failure, runError, problems) {
  const started = events.find(event => event.type === "RUN_STARTED");
  const finished = events.find(event => event.type === "RUN_FINISHED");
  const toolCalls = events.filter(event => event.type === "TOOL_CALL_START").map(start => ({
    toolCallId: start.toolCallId,
    toolCallName: start.toolCallName,
    arguments: events.filter(event => event.type === "TOOL_CALL_ARGS" && event.toolCallId === start.toolCallId)
      .map(event => event.delta).join(""),
    ended: events.some(event => event.type === "TOOL_CALL_END" && event.toolCallId === start.toolCallId),
    results: events.filter(event => event.type === "TOOL_CALL_RESULT" && event.toolCallId === start.toolCallId)
      .map(event => event.content),
  }));
  return {
    scenario,
    types: events.map(event => event.type),
    threadId: started?.threadId ?? null,
    runId: started?.runId ?? null,
    agentchatThreadId: started?.metadata?.agentchat_thread_id ?? null,
    agentchatRunId: started?.metadata?.agentchat_run_id ?? null,
    text: events.filter(event => event.type === "TEXT_MESSAGE_CONTENT").map(event => event.delta).join(""),
    toolCalls,
    // TOOL_CALL_RESULT of a resumed run answers a call started in the run before, so it is listed on its own.
    results: events.filter(event => event.type === "TOOL_CALL_RESULT")
      .map(event => ({ toolCallId: event.toolCallId, content: event.content })),
    outcome: finished?.outcome ?? null,
    pendingInterrupts: (agent.pendingInterrupts ?? []).map(interrupt => interrupt.id),
    runError,
    failure,
    problems,
    wire: { contentType: onWire.contentType ?? null, events: onWire.events.length, comments: onWire.comments, withoutId: onWire.withoutId },
    messages: agent.messages.map(message => ({ id: message.id, role: message.role, toolCallId: message.toolCallId ?? null })),
  };
}

/** Runs the agent to its interrupt, then resumes it answering every pending interrupt with {@code response}. */
async function interruptedThenResumed(response) {
  const wire = {};
  const agent = agentOf("ops-assistant", wire, "What is 12 * 7?");
  const interrupted = await run(agent, wire);
  const responses = Object.fromEntries(agent.pendingInterrupts.map(interrupt => [interrupt.id, response]));
  const resumed = await run(agent, wire, { resume: buildResumeArray(agent.pendingInterrupts, responses) });
  return [interrupted, resumed];
}

function agentOf(agentId, wire, question, { threadId = `client-thread-${crypto.randomUUID()}`, key } = {}) {
  return new HttpAgent({
    url: `${baseUrl}/api/agents/${agentId}/ag-ui`,
    threadId,
    headers: key ? { Authorization: `Bearer ${key}` } : {},
    initialMessages: [{ id: crypto.randomUUID(), role: "user", content: question }],
    fetch: recordingFetch(wire),
  });
}

const scenarios = {
  /** A question the agent answers from its knowledge base: text and a server tool call. */
  async answer() {
    const wire = {};
    return [await run(agentOf("support-triage", wire, "How do I reset my password?"), wire)];
  },

  /**
   * A run served again at its `events/ag-ui` address, read by an HttpAgent whose fetch asks there instead of
   * posting: whole, and taken up after the id of a frame in its middle, stitched to the frames up to it as a
   * client that reconnects would. Both must be the run the first stream carried.
   */
  async replay() {
    const wire = {};
    const agent = agentOf("support-triage", wire, "How do I reset my password?");
    const first = await run(agent, wire);
    const sent = wire.text;
    const address = `${baseUrl}/api/agents/support-triage/threads/${first.agentchatThreadId}/runs/${first.agentchatRunId}`
      + `/events/ag-ui?ag_ui_thread_id=${encodeURIComponent(first.threadId)}&ag_ui_run_id=${encodeURIComponent(first.runId)}`;
    const reading = (send) => {
      const replayWire = {};
      const replaying = new HttpAgent({
        url: address, threadId: agent.threadId, initialMessages: agent.messages.slice(0, 1), fetch: recordingFetch(replayWire, send),
      });
      return run(replaying, replayWire, { runId: first.runId });
    };
    const whole = await reading((url, init) => fetch(url, { headers: { Accept: "text/event-stream" }, signal: init?.signal }));

    // The frames up to the id of the middle one, all of that id included: what the client had when it dropped.
    const frames = sent.split("\n\n").filter(frame => frame.length > 0);
    const idOf = frame => frame.split("\n").find(line => line.startsWith("id: "))?.slice(4);
    const cutAfter = idOf(frames.filter(idOf)[Math.floor(frames.filter(idOf).length / 2)]);
    const had = frames.slice(0, frames.findLastIndex(frame => idOf(frame) === cutAfter) + 1);
    const rest = await (await fetch(address, { headers: { Accept: "text/event-stream", "Last-Event-ID": cutAfter } })).text();
    const stitched = await reading(async () => new Response(had.map(frame => frame + "\n\n").join("") + rest,
      { status: 200, headers: { "Content-Type": "text/event-stream" } }));
    const restFrames = readWire(rest).events.length;
    const restIds = rest.split("\n\n").map(idOf).filter(Boolean).map(Number);
    return [first, whole, { ...stitched, cutAfter: Number(cutAfter), rest: { events: restFrames, ids: restIds,
      types: readWire(rest).events.map(event => event.type) } }];
  },

  /** A second run on the same HttpAgent: the same threadId, and the whole history sent again, as the client does. */
  async continuation() {
    const wire = {};
    const agent = agentOf("support-triage", wire, "How do I reset my password?");
    const first = await run(agent, wire);
    agent.addMessage({ id: crypto.randomUUID(), role: "user", content: "And if I no longer have the email address?" });
    const second = await run(agent, wire);
    return [first, second];
  },

  /** Two callers (API keys in AGENTCHAT_TEST_KEYS, comma-separated) who name their threads alike. */
  async twoCallers() {
    const threadId = `client-thread-${crypto.randomUUID()}`;
    const runs = [];
    for (const key of (process.env.AGENTCHAT_TEST_KEYS ?? "").split(",").filter(Boolean)) {
      const wire = {};
      runs.push(await run(agentOf("support-triage", wire, "How do I reset my password?", { threadId, key }), wire));
    }
    return runs;
  },

  /** A call that needs approval: the run ends with an interrupt, and the next run approves it with resume. */
  async interruptApproved() {
    return interruptedThenResumed({ status: "resolved", payload: { approved: true } });
  },

  /** The same interrupt, cancelled: the call is denied. */
  async interruptCancelled() {
    return interruptedThenResumed({ status: "cancelled" });
  },

  /**
   * A new message while the interrupt is open. HttpAgent itself refuses to send one, so the client here forgets
   * the interrupt, as a second tab or a client that lost its state would: the service must refuse it too.
   */
  async messageWhileInterrupted() {
    const wire = {};
    const agent = agentOf("ops-assistant", wire, "What is 12 * 7?");
    const interrupted = await run(agent, wire);
    agent.pendingInterrupts = [];
    agent.addMessage({ id: crypto.randomUUID(), role: "user", content: "Never mind. How do I reset my password?" });
    const refused = await run(agent, wire);
    return [interrupted, refused];
  },

  /**
   * A tool of the client's own (a frontend tool): the model calls it, the run finishes waiting for its result,
   * the client adds the result as a tool message, and the next run goes on with it.
   */
  async frontendTool() {
    const wire = {};
    const tools = [{
      name: "get_location",
      description: "Where the user is, as the browser knows it.",
      parameters: { type: "object", properties: {} },
    }];
    const agent = agentOf("support-triage", wire, "Please use get_location to tell me where I am.");
    const asked = await run(agent, wire, { tools });
    const pending = asked.outcome?.pendingToolCallIds ?? [];
    for (const toolCallId of pending) {
      agent.addMessage({ id: crypto.randomUUID(), role: "tool", toolCallId, content: "Lisbon, Portugal" });
    }
    const answered = await run(agent, wire, { tools });
    return [asked, answered];
  },

  /** An agent the service does not have: the client's promise rejects with the HTTP status. */
  async unknownAgent() {
    const wire = {};
    return [await run(agentOf("no-such-agent", wire, "Hello?"), wire)];
  },

  /** A body that is no RunAgentInput, sent as a plain request: the client would refuse to send it. */
  async malformedInput() {
    const response = await fetch(`${baseUrl}/api/agents/support-triage/ag-ui`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ threadId: 42, runId: "run-1", messages: "not a list" }),
    });
    const text = await response.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return [{ scenario, status: response.status, contentType: response.headers.get("content-type"), body }];
  },
};

if (!scenarios[scenario]) {
  console.error(`unknown scenario ${scenario}; known: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
for (const result of await scenarios[scenario]()) {
  process.stdout.write(JSON.stringify(result) + "\n");
}
