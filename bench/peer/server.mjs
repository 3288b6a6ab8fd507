// The peer agentchat is measured against: a chat back end written the way the AI SDK documents it for
// Node's own HTTP server (streamText with the OpenAI provider, answered as a UI message stream), with
// nothing tuned. It reads what useChat sends: POST /api/chat with {messages: UIMessage[]}.
//
//   OPENAI_BASE_URL=http://127.0.0.1:9000/v1 OPENAI_API_KEY=key PORT=8080 node server.mjs
import { createServer } from 'node:http';
import { createOpenAI } from '@ai-sdk/openai';
import { convertToModelMessages, streamText } from 'ai';

const openai = createOpenAI({
  baseURL: process.env.OPENAI_BASE_URL,
  apiKey: process.env.OPENAI_API_KEY,
});
// The chat completions API, the wire format of the model server both back ends are measured against.
const model = openai.chat(process.env.OPENAI_MODEL ?? 'gpt-4o');

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const server = createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.end('ok');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/api/chat') {
    res.writeHead(404).end();
    return;
  }
  const { messages } = await readJson(req);
  const result = streamText({
    model,
    messages: await convertToModelMessages(messages),
  });
  result.pipeUIMessageStreamToResponse(res);
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`listening on ${process.env.HOST ?? '127.0.0.1'}:${server.address().port}`);
});
