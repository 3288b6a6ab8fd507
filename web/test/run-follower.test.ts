// @vitest-environment node
import { describe, expect, it } from "vitest";
import { Api } from "../src/api/client";
import { ApiError } from "../src/api/problem";
import type { ChatEvent } from "../src/api/types";
import { RunFollower, type RunHandlers } from "../src/run/follower";

interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
}

type Reply = (call: Call) => Response | Promise<Response>;

/** A scripted service: each request gets the next reply; every request is recorded. */
function scripted(...replies: Reply[]) {
  const calls: Call[] = [];
  const fetchFn = async (url: string, init?: RequestInit) => {
    const call = { url, method: init?.method ?? "GET", headers: new Headers(init?.headers) };
    calls.push(call);
    const reply = replies.shift();
    if (!reply) throw new Error(`unexpected request ${call.method} ${url}`);
    return reply(call);
  };
  return { calls, api: new Api(async () => "the-token", fetchFn) };
}

function frame(id: number, event: object): string {
  return `id:${id}\ndata: ${JSON.stringify(event)}\n\n`;
}

function tokens(from: number, words: string[]): string {
  return words.map((w, i) => frame(from + i, { type: "token", content: w, timestamp: "t" })).join("");
}

const done = (id: number) => frame(id, { type: "done", run_id: "run_1", thread_id: "thread_1", message_id: "msg_9", tokens_used: 5, timestamp: "t" });

/** An SSE response; with drop set, the connection fails after the text instead of ending. */
function sse(text: string, options: { drop?: boolean; headers?: Record<string, string> } = {}): Response {
  const bytes = new TextEncoder().encode(text);
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    // Erroring a stream discards what is queued, so the drop comes on the read after the text.
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes);
      } else if (options.drop) controller.error(new TypeError("network connection lost"));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream", ...options.headers } });
}

function problem(status: number, body: object): Response {
  return new Response(JSON.stringify({ type: "urn:x", title: "t", status, detail: "d", ...body }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });
}

function recorder() {
  const events: Array<{ id: number; event: ChatEvent }> = [];
  const delays: number[] = [];
  const started: string[] = [];
  const handlers: RunHandlers = {
    started: (run, thread) => started.push(`${run}/${thread}`),
    event: (event, id) => events.push({ id, event }),
    reconnecting: (_attempt, delay) => delays.push(delay),
  };
  const text = () => events.map((e) => (e.event.type === "token" ? e.event.content : "")).join("");
  return { events, delays, started, handlers, text };
}

function follower(api: Api, slept: number[] = []) {
  let clock = 0;
  return new RunFollower(api, {
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => clock,
    newKey: () => "key-1",
  });
}

const HEADERS = { "X-Run-Id": "run_1", "X-Thread-Id": "thread_1" };
const WORDS = ["One ", "two ", "three ", "four ", "five ", "six"];

describe("RunFollower", () => {
  it("follows a chat stream to done, with the bearer and the run and thread from the headers", async () => {
    const { api, calls } = scripted(() => sse(tokens(1, WORDS) + done(7), { headers: HEADERS }));
    const r = recorder();
    const result = await follower(api).send("support", null, "hi", r.handlers);
    expect(result.outcome.kind).toBe("done");
    expect(result.runId).toBe("run_1");
    expect(result.threadId).toBe("thread_1");
    expect(r.started).toEqual(["run_1/thread_1"]);
    expect(r.text()).toBe(WORDS.join(""));
    expect(calls[0]!.headers.get("Authorization")).toBe("Bearer the-token");
    expect(calls[0]!.headers.get("Idempotency-Key")).toBe("key-1");
  });

  it("re-joins a dropped stream at the events endpoint with Last-Event-ID, with no gap and no repeat", async () => {
    const { api, calls } = scripted(
      () => sse(tokens(1, WORDS.slice(0, 3)), { drop: true, headers: HEADERS }),
      // The service replays from after id 3; a stray repeat of id 3 must still be dropped.
      () => sse(tokens(3, WORDS.slice(2)) + done(7)),
    );
    const r = recorder();
    const result = await follower(api).send("support", "thread_1", "hi", r.handlers);
    expect(result.outcome.kind).toBe("done");
    expect(r.text()).toBe(WORDS.join(""));
    expect(r.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(calls[1]!.url).toBe("/api/agents/support/threads/thread_1/runs/run_1/events");
    expect(calls[1]!.headers.get("Last-Event-ID")).toBe("3");
  });

  it("treats a stream that ends without done or error as dropped", async () => {
    const { api, calls } = scripted(
      () => sse(tokens(1, WORDS.slice(0, 2)), { headers: HEADERS }),
      () => sse(tokens(3, WORDS.slice(2)) + done(7)),
    );
    const r = recorder();
    const result = await follower(api).send("support", null, "hi", r.handlers);
    expect(result.outcome.kind).toBe("done");
    expect(r.text()).toBe(WORDS.join(""));
    expect(calls[1]!.headers.get("Last-Event-ID")).toBe("2");
  });

  it("backs off 0.5 s, 1 s, 2 s, 4 s ... up to 10 s while the service cannot be reached, then gives up", async () => {
    const down = () => Promise.reject(new TypeError("connection refused"));
    const { api } = scripted(...Array.from({ length: 20 }, () => down));
    const slept: number[] = [];
    const r = recorder();
    const outcome = await follower(api, slept).follow("support", "thread_1", "run_1", 12, r.handlers);
    expect(outcome.kind).toBe("lost");
    expect(slept.slice(0, 6)).toEqual([500, 1000, 2000, 4000, 8000, 10000]);
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThan(60_000);
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThan(80_000);
  });

  it("starts the backoff again once events flow", async () => {
    const { api } = scripted(
      () => Promise.reject(new TypeError("down")),
      () => Promise.reject(new TypeError("down")),
      () => sse(tokens(1, ["a "]), { drop: true }),
      () => sse(tokens(2, ["b"]) + done(3)),
    );
    const slept: number[] = [];
    const r = recorder();
    const outcome = await follower(api, slept).follow("support", "thread_1", "run_1", undefined, r.handlers);
    expect(outcome.kind).toBe("done");
    expect(slept).toEqual([500, 1000, 500]);
    expect(r.text()).toBe("a b");
  });

  it("measures the give-up window from the drop, not the last event, after a stream that carried only heartbeats", async () => {
    const clock = { now: 0 };
    const heartbeats = `data: {"type":"heartbeat","timestamp":"t"}\n\n`.repeat(6);
    const { api } = scripted(
      () => Promise.reject(new TypeError("down")),
      () => Promise.reject(new TypeError("down")),
      () => {
        // A slow tool: the stream stays up for 90 s with heartbeats only, then drops.
        clock.now += 90_000;
        return sse(heartbeats, { drop: true });
      },
      () => sse(tokens(5, ["five ", "six"]) + done(7)),
    );
    const slept: number[] = [];
    const r = recorder();
    const outcome = await new RunFollower(api, {
      sleep: async (ms) => {
        slept.push(ms);
        clock.now += ms;
      },
      now: () => clock.now,
      newKey: () => "key-1",
    }).follow("support", "thread_1", "run_1", 4, r.handlers);
    expect(outcome.kind).toBe("done");
    expect(slept).toEqual([500, 1000, 500]);
    expect(r.text()).toBe("five six");
  });

  it("follows the active run when the thread is busy, from its start, instead of failing", async () => {
    const { api, calls } = scripted(
      () => problem(409, { code: "thread_busy", active_run_id: "run_busy", run_id: "run_busy" }),
      () => sse(tokens(1, WORDS) + done(7)),
    );
    const r = recorder();
    const result = await follower(api).send("support", "thread_1", "my second question", r.handlers);
    expect(result.followedBusyRun).toBe(true);
    expect(result.runId).toBe("run_busy");
    expect(result.outcome.kind).toBe("done");
    expect(calls[1]!.url).toBe("/api/agents/support/threads/thread_1/runs/run_busy/events");
    expect(calls[1]!.headers.has("Last-Event-ID")).toBe(false);
    expect(r.text()).toBe(WORDS.join(""));
  });

  it("re-joins after a given event id and ignores heartbeats", async () => {
    const { api, calls } = scripted(() =>
      sse(`data: {"type":"heartbeat","timestamp":"t"}\n\n` + tokens(5, ["five ", "six"]) + done(7)),
    );
    const r = recorder();
    const outcome = await follower(api).follow("support", "thread_1", "run_1", 4, r.handlers);
    expect(outcome.kind).toBe("done");
    expect(calls[0]!.headers.get("Last-Event-ID")).toBe("4");
    expect(r.events.map((e) => e.event.type)).toEqual(["token", "token", "done"]);
  });

  it("reports expired events so the thread is read instead", async () => {
    const { api } = scripted(() => problem(410, { code: "events_expired" }));
    const outcome = await follower(api).follow("support", "thread_1", "run_1", 3, recorder().handlers);
    expect(outcome).toEqual({ kind: "expired" });
  });

  it("ends with the stream's error event, such as a cancelled run", async () => {
    const { api } = scripted(() =>
      sse(tokens(1, ["partial "]) + frame(2, { type: "error", code: "cancelled", message: "Cancelled", timestamp: "t" }), {
        headers: HEADERS,
      }),
    );
    const r = recorder();
    const result = await follower(api).send("support", null, "hi", r.handlers);
    expect(result.outcome).toMatchObject({ kind: "error", event: { code: "cancelled" } });
    expect(r.text()).toBe("partial ");
  });

  it("throws a refused send as a typed error with the problem's members", async () => {
    const { api } = scripted(() => problem(429, { code: "too_many_active_runs", max_active_runs: 2 }));
    const error = await follower(api).send("support", null, "hi", recorder().handlers).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("too_many_active_runs");
    expect(error.member("max_active_runs")).toBe("2");
  });

  it("retries a chat POST that never reached the service with the same idempotency key, skipping the replayed start", async () => {
    const { api, calls } = scripted(
      () => Promise.reject(new TypeError("connection reset")),
      () => sse(tokens(1, WORDS) + done(7), { headers: HEADERS }),
    );
    const r = recorder();
    const result = await follower(api).send("support", null, "hi", r.handlers);
    expect(result.outcome.kind).toBe("done");
    expect(calls.map((c) => c.headers.get("Idempotency-Key"))).toEqual(["key-1", "key-1"]);
    expect(r.text()).toBe(WORDS.join(""));
  });
});
