import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Api } from "../src/api/client";
import { Conversation } from "../src/run/conversation";
import { RunFollower } from "../src/run/follower";
import { saveSnapshot } from "../src/run/snapshots";

const THREAD = {
  id: "thread_1", agent_id: "support", user_id: "u", title: "VM question", status: "active",
  created_at: "t", updated_at: "t", active_run_id: "run_1",
  messages: [{ id: "msg_1", role: "user", content: "My VM", status: "complete", run_id: "run_1", created_at: "t" }],
  runs: [{ id: "run_1", thread_id: "thread_1", status: "in_progress", agent_id: "support", agent_version: 1, request_message_id: "msg_1", created_at: "t", steps: [] }],
};

const FINISHED = {
  ...THREAD,
  active_run_id: null,
  messages: [...THREAD.messages, { id: "msg_2", role: "assistant", content: "One two three four", status: "complete", run_id: "run_1", created_at: "t" }],
  runs: [{ ...THREAD.runs[0], status: "completed", steps: [
    { id: "step_m", type: "model_call", status: "completed", model: "demo", usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 }, cost_usd: 0.001, latency_ms: 5 },
  ] }],
};

/** Frames sent a few milliseconds apart, so the view sees the answer grow. */
function sse(frames: Array<[number, object]>): Response {
  const queue = frames.map(([id, e]) => new TextEncoder().encode(`id:${id}\ndata: ${JSON.stringify(e)}\n\n`));
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      const next = queue.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
}

function service(eventsReply: () => Response) {
  const calls: Array<{ url: string; lastEventId: string | null }> = [];
  let reads = 0;
  const fetchFn = async (url: string, init?: RequestInit) => {
    calls.push({ url, lastEventId: new Headers(init?.headers).get("Last-Event-ID") });
    if (url.endsWith("/events")) return eventsReply();
    reads++;
    return Response.json(reads === 1 ? THREAD : FINISHED);
  };
  return { calls, api: new Api(async () => null, fetchFn) };
}

async function settle(conversation: Conversation) {
  await vi.waitFor(() => {
    expect(conversation.current.liveRunId).toBeNull();
    expect(conversation.current.messages.some((m) => m.id === "msg_2")).toBe(true);
  });
}

describe("Conversation re-joining a run in progress", () => {
  beforeEach(() => {
    sessionStorage.clear();
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal("cancelAnimationFrame", (h: number) => clearTimeout(h));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("continues after the snapshot's last event, showing its text at once and each later word once", async () => {
    saveSnapshot({ runId: "run_1", agentId: "support", threadId: "thread_1", lastEventId: 2, text: "One two ", toolCalls: [] });
    const { api, calls } = service(() =>
      sse([[3, { type: "token", content: "three " }], [4, { type: "token", content: "four" }],
        [5, { type: "done", run_id: "run_1", thread_id: "thread_1", message_id: "msg_2", tokens_used: 4 }]]),
    );
    const texts: string[] = [];
    const conversation = new Conversation(api, "support", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
    conversation.subscribe(() => {
      const live = conversation.current.messages.find((m) => m.key === "answer-run_1" && m.status === "streaming");
      if (live) texts.push(live.content);
    });
    conversation.open("thread_1");
    await settle(conversation);
    const events = calls.find((c) => c.url.endsWith("/events"))!;
    expect(events.lastEventId).toBe("2");
    // The snapshot's text shows before any new word, and every word comes once.
    expect(texts[0]).toBe("One two ");
    expect(texts).toContain("One two three ");
    expect(texts.at(-1)).toBe("One two three four");
    // After the end the stored record is shown, with its id, status and the run's model calls.
    const answer = conversation.current.messages.at(-1)!;
    expect(answer).toMatchObject({ id: "msg_2", status: "complete", content: "One two three four" });
    expect(conversation.current.runs[0]!.modelCalls[0]).toMatchObject({ model: "demo", promptTokens: 10, costUsd: 0.001 });
  });

  it("replays the run from the start when this tab has no snapshot of it", async () => {
    const { api, calls } = service(() =>
      sse([[1, { type: "token", content: "One two " }], [2, { type: "token", content: "three four" }],
        [3, { type: "done", run_id: "run_1", thread_id: "thread_1", message_id: "msg_2", tokens_used: 4 }]]),
    );
    const conversation = new Conversation(api, "support", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
    conversation.open("thread_1");
    await settle(conversation);
    expect(calls.find((c) => c.url.endsWith("/events"))!.lastEventId).toBeNull();
    expect(conversation.current.messages.at(-1)!.content).toBe("One two three four");
  });

  it("remembers the run it follows when the page goes away", async () => {
    let release!: () => void;
    const { api } = service(() => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`id:1\ndata: {"type":"token","content":"Half "}\n\n`));
          release = () => controller.close();
        },
      });
      return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
    });
    const conversation = new Conversation(api, "support", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
    conversation.open("thread_1");
    await vi.waitFor(() => expect(conversation.current.messages.at(-1)!.content).toBe("Half "));
    conversation.rememberLiveRun();
    const saved = JSON.parse(sessionStorage.getItem("agentchat.run.run_1")!);
    expect(saved).toMatchObject({ runId: "run_1", threadId: "thread_1", lastEventId: 1, text: "Half " });
    conversation.dispose();
    release();
  });
});

describe("Conversation with one follower at a time", () => {
  beforeEach(() => {
    sessionStorage.clear();
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal("cancelAnimationFrame", (h: number) => clearTimeout(h));
  });
  afterEach(() => vi.unstubAllGlobals());

  const FAILED = {
    ...THREAD,
    active_run_id: null,
    runs: [{ ...THREAD.runs[0], status: "failed" }],
  };

  function withHeaders(response: Response, runId: string): Response {
    return new Response(response.body, {
      headers: { "Content-Type": "text/event-stream", "X-Run-Id": runId, "X-Thread-Id": "thread_1" },
    });
  }

  it("sends a failed run's question again on Retry instead of re-joining the finished run", async () => {
    const calls: Array<{ url: string; body: string | null }> = [];
    let reads = 0;
    const api = new Api(async () => null, async (url: string, init?: RequestInit) => {
      calls.push({ url, body: typeof init?.body === "string" ? init.body : null });
      if (url.endsWith("/events")) {
        return sse([[1, { type: "token", content: "Half " }], [2, { type: "error", code: "model_error", message: "The model failed." }]]);
      }
      if (url.endsWith("/chat")) {
        return withHeaders(sse([[1, { type: "token", content: "Answer" }],
          [2, { type: "done", run_id: "run_2", thread_id: "thread_1", message_id: "msg_3", tokens_used: 1 }]]), "run_2");
      }
      reads++;
      return Response.json(reads === 1 ? THREAD : FAILED);
    });
    const conversation = new Conversation(api, "support", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
    conversation.open("thread_1");
    await vi.waitFor(() => expect(conversation.current.notice?.text).toBe("The model failed."));
    await vi.waitFor(() => expect(reads).toBe(2));
    const retry = conversation.current.notice!.retry!;
    expect(retry).not.toBeNull();
    retry();
    await vi.waitFor(() => expect(calls.some((c) => c.url.endsWith("/chat"))).toBe(true));
    await vi.waitFor(() => expect(conversation.current.liveRunId).toBeNull());
    expect(calls.filter((c) => c.url.endsWith("/events"))).toHaveLength(1);
    expect(JSON.parse(calls.find((c) => c.url.endsWith("/chat"))!.body!)).toMatchObject({ message: "My VM", thread_id: "thread_1" });
    const keys = conversation.current.messages.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    conversation.dispose();
  });

  it("sends a message sent just as an answer ended, once the thread has been read again", async () => {
    const chats: string[] = [];
    let reads = 0;
    let readAgain!: () => void;
    const readAgainAsked = new Promise<void>((resolve) => (readAgain = resolve));
    let answerRead!: () => void;
    const answerReadMayEnd = new Promise<void>((resolve) => (answerRead = resolve));
    const api = new Api(async () => null, async (url: string, init?: RequestInit) => {
      if (url.endsWith("/chat")) {
        chats.push(JSON.parse(String(init!.body)).message);
        const run = `run_${chats.length}`;
        return withHeaders(sse([[1, { type: "token", content: "Answer" }],
          [2, { type: "done", run_id: run, thread_id: "thread_1", message_id: `msg_${run}`, tokens_used: 1 }]]), run);
      }
      reads++;
      if (reads === 2) {
        // The read after the first answer is slow: the second message is sent meanwhile.
        readAgain();
        await answerReadMayEnd;
      }
      return Response.json({ ...FINISHED, runs: [] });
    });
    const conversation = new Conversation(api, "support", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
    conversation.open("thread_1");
    await vi.waitFor(() => expect(reads).toBe(1));
    const first = conversation.send("First");
    await readAgainAsked;
    expect(conversation.current.liveRunId).toBeNull();

    const second = conversation.send("Second");
    answerRead();
    await Promise.all([first, second]);

    expect(chats).toEqual(["First", "Second"]);
    conversation.dispose();
  });

  it("follows only the sent message's run when Send is pressed before the thread has been read", async () => {
    const calls: string[] = [];
    let chatArrived!: () => void;
    const chatSeen = new Promise<void>((resolve) => (chatArrived = resolve));
    let reads = 0;
    const api = new Api(async () => null, async (url: string) => {
      calls.push(url);
      if (url.endsWith("/events")) {
        return sse([[1, { type: "token", content: "Other" }],
          [2, { type: "done", run_id: "run_1", thread_id: "thread_1", message_id: "msg_2", tokens_used: 1 }]]);
      }
      if (url.endsWith("/chat")) {
        chatArrived();
        // The thread read answers first, naming the run as active.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return withHeaders(sse([[1, { type: "token", content: "Mine" }],
          [2, { type: "done", run_id: "run_1", thread_id: "thread_1", message_id: "msg_2", tokens_used: 1 }]]), "run_1");
      }
      reads++;
      if (reads === 1) await chatSeen;
      return Response.json(reads === 1 ? THREAD : FINISHED);
    });
    const conversation = new Conversation(api, "support", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
    conversation.open("thread_1");
    const sent = conversation.send("Second question");
    await sent;
    expect(calls.filter((c) => c.endsWith("/events"))).toEqual([]);
    const answers = conversation.current.messages.filter((m) => m.role === "assistant");
    expect(answers.map((m) => m.id)).toEqual(["msg_2"]);
    conversation.dispose();
  });
});
