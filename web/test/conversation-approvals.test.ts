import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Api } from "../src/api/client";
import { Conversation } from "../src/run/conversation";
import { RunFollower } from "../src/run/follower";

const EXPIRES = "2026-12-04T19:45:00Z";

function awaitingStep(id: string, expression: string) {
  return {
    id, type: "tool_call", status: "awaiting_approval", tool: "calculator", arguments: JSON.stringify({ expression }),
    approval: { approved: null, expires_at: EXPIRES, expired: false },
  };
}

/** A thread whose run waits for a decision on `steps`, as a reload reads it. */
function waiting(...steps: ReturnType<typeof awaitingStep>[]) {
  return {
    id: "thread_1", agent_id: "ops-assistant", title: "Sums", status: "active", created_at: "t", updated_at: "t",
    active_run_id: "run_1",
    messages: [{ id: "msg_1", role: "user", content: "What is 12 * 7?", status: "complete", run_id: "run_1", created_at: "t" }],
    runs: [{
      id: "run_1", thread_id: "thread_1", status: "requires_action", request_message_id: "msg_1", created_at: "t", steps,
      pending_approvals: steps.map((s) => ({ step_id: s.id, tool: s.tool, arguments: s.arguments, expires_at: EXPIRES })),
    }],
  };
}

function withRun(thread: ReturnType<typeof waiting>, status: string, steps: object[], answer?: string) {
  return {
    ...thread,
    active_run_id: status === "completed" || status === "cancelled" ? null : "run_1",
    messages: answer === undefined
      ? thread.messages
      : [...thread.messages, { id: "msg_2", role: "assistant", content: answer, status: "complete", run_id: "run_1", created_at: "t" }],
    runs: [{ ...thread.runs[0]!, status, steps, pending_approvals: [] }],
  };
}

/** A run's event stream that the test writes to as the run goes on. */
function openStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    response: new Response(body, { headers: { "Content-Type": "text/event-stream" } }),
    send(id: number, event: object) {
      controller.enqueue(new TextEncoder().encode(`id:${id}\ndata: ${JSON.stringify(event)}\n\n`));
    },
    close: () => controller.close(),
  };
}

interface Posted { url: string; body: unknown }

/**
 * The service as the page meets it: thread reads answered in turn from `reads` (the last one repeats), one
 * events stream, and the decisions answered by `decided`.
 */
function service(reads: object[], decided: (body: unknown) => Response) {
  const stream = openStream();
  const posted: Posted[] = [];
  const counts = { reads: 0, events: 0 };
  const fetchFn = async (url: string, init?: RequestInit) => {
    if (url.endsWith("/events")) {
      counts.events++;
      return stream.response;
    }
    if (init?.method === "POST") {
      const body = typeof init.body === "string" ? JSON.parse(init.body) : null;
      posted.push({ url, body });
      return url.endsWith("/approvals") ? decided(body) : new Response(null, { status: 202 });
    }
    const read = reads[Math.min(counts.reads, reads.length - 1)]!;
    counts.reads++;
    return Response.json(read);
  };
  return { stream, posted, counts, api: new Api(async () => null, fetchFn) };
}

function opened(api: Api): Conversation {
  const conversation = new Conversation(api, "ops-assistant", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
  conversation.open("thread_1");
  return conversation;
}

const toolCalls = (conversation: Conversation) => conversation.current.runs.find((r) => r.runId === "run_1")?.toolCalls ?? [];
const approvals = (posted: Posted[]) => posted.filter((p) => p.url.endsWith("/api/agents/ops-assistant/threads/thread_1/runs/run_1/approvals"));

describe("Conversation deciding the tool calls a run waits on", () => {
  beforeEach(() => {
    sessionStorage.clear();
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal("cancelAnimationFrame", (h: number) => clearTimeout(h));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("offers the waiting call again after a reload, sends Approve at once, and shows the run go on in the same stream", async () => {
    const thread = waiting(awaitingStep("step_1", "12 * 7"));
    const done = withRun(thread, "completed",
      [{ ...awaitingStep("step_1", "12 * 7"), status: "completed", output: "84" }], "It answered: 84");
    const { api, stream, posted, counts } = service([thread, done], () => Response.json(withRun(thread, "in_progress", []).runs[0]));
    const conversation = opened(api);

    // The stored run alone shows the call waiting, before its events are replayed.
    await vi.waitFor(() => expect(toolCalls(conversation)[0]).toMatchObject({ status: "awaiting_approval", expiresAt: EXPIRES }));
    expect(conversation.current.liveRunId).toBe("run_1");
    expect(conversation.current.runs[0]!.status).toBe("requires_action");
    stream.send(1, { type: "approval_required", step_id: "step_1", tool: "calculator", arguments: "{\"expression\":\"12 * 7\"}", expires_at: EXPIRES });

    await conversation.decide("run_1", "step_1", true);

    expect(approvals(posted).map((p) => p.body)).toEqual([{ decisions: [{ step_id: "step_1", approved: true }] }]);
    expect(conversation.current.choices.get("step_1")).toEqual({ approved: true, sent: true });
    stream.send(2, { type: "trace_start", step_id: "step_1", tool: "calculator", arguments: "{\"expression\":\"12 * 7\"}" });
    await vi.waitFor(() => expect(toolCalls(conversation)[0]!.status).toBe("running"));
    expect(conversation.current.choices.size).toBe(0);
    stream.send(3, { type: "trace_end", step_id: "step_1", status: "completed", output: "84", latency_ms: 1 });
    stream.send(4, { type: "token", content: "It answered: 84" });
    stream.send(5, { type: "done", run_id: "run_1", thread_id: "thread_1", message_id: "msg_2", tokens_used: 3 });
    stream.close();
    await vi.waitFor(() => expect(conversation.current.messages.at(-1)).toMatchObject({ id: "msg_2", status: "complete" }));
    expect(toolCalls(conversation)[0]).toMatchObject({ status: "completed", output: "84" });
    expect(counts.events).toBe(1);
    conversation.dispose();
  });

  it("with several waiting calls, keeps each choice (which may change) and sends them all in one request", async () => {
    const thread = waiting(awaitingStep("step_1", "12 * 7"), awaitingStep("step_2", "1 / 0"));
    const { api, posted, stream } = service([thread], () => Response.json(withRun(thread, "in_progress", []).runs[0]));
    const conversation = opened(api);
    await vi.waitFor(() => expect(toolCalls(conversation).filter((c) => c.status === "awaiting_approval")).toHaveLength(2));

    await conversation.decide("run_1", "step_1", false);
    await conversation.decide("run_1", "step_1", true);
    expect(approvals(posted)).toEqual([]);
    expect(conversation.current.choices.get("step_1")).toEqual({ approved: true, sent: false });
    await conversation.decide("run_1", "step_2", false);

    expect(approvals(posted).map((p) => p.body)).toEqual([{
      decisions: [{ step_id: "step_1", approved: true }, { step_id: "step_2", approved: false }],
    }]);
    stream.close();
    conversation.dispose();
  });

  it("reads the run again when it was decided elsewhere (409), and shows it as stored", async () => {
    const thread = waiting(awaitingStep("step_1", "12 * 7"));
    const elsewhere = withRun(thread, "in_progress", [{ ...awaitingStep("step_1", "12 * 7"), status: "in_progress" }]);
    const { api, posted, counts, stream } = service([thread, elsewhere], () =>
      Response.json({ type: "about:blank", title: "Conflict", status: 409, code: "approval_conflict", detail: "x", run_status: "in_progress" },
        { status: 409, headers: { "Content-Type": "application/problem+json" } }));
    const conversation = opened(api);
    await vi.waitFor(() => expect(toolCalls(conversation)[0]?.status).toBe("awaiting_approval"));

    await conversation.decide("run_1", "step_1", false);

    expect(approvals(posted)).toHaveLength(1);
    expect(counts.reads).toBe(2);
    expect(toolCalls(conversation)[0]!.status).toBe("running");
    expect(conversation.current.choices.size).toBe(0);
    expect(conversation.current.notice).toMatchObject({ kind: "note", text: expect.stringMatching(/already decided/) });
    expect(conversation.current.liveRunId).toBe("run_1");
    stream.close();
    conversation.dispose();
  });

  it("lets a failed request be sent again, keeping the choice", async () => {
    const thread = waiting(awaitingStep("step_1", "12 * 7"));
    let answers = 0;
    const { api, posted, stream } = service([thread], () =>
      ++answers === 1 ? new Response("", { status: 503 }) : Response.json(withRun(thread, "in_progress", []).runs[0]));
    const conversation = opened(api);
    await vi.waitFor(() => expect(toolCalls(conversation)[0]?.status).toBe("awaiting_approval"));

    await conversation.decide("run_1", "step_1", true);
    expect(conversation.current.choices.get("step_1")).toEqual({ approved: true, sent: false });
    conversation.current.notice!.retry!();

    await vi.waitFor(() => expect(approvals(posted)).toHaveLength(2));
    expect(approvals(posted)[1]!.body).toEqual({ decisions: [{ step_id: "step_1", approved: true }] });
    stream.close();
    conversation.dispose();
  });

  it("stops a waiting run with Stop, the stream ending it as cancelled", async () => {
    const thread = waiting(awaitingStep("step_1", "12 * 7"));
    const cancelled = withRun(thread, "cancelled", [{ ...awaitingStep("step_1", "12 * 7"), status: "cancelled" }]);
    const { api, posted, stream } = service([thread, cancelled], () => new Response(null, { status: 500 }));
    const conversation = opened(api);
    await vi.waitFor(() => expect(toolCalls(conversation)[0]?.status).toBe("awaiting_approval"));

    await conversation.stop();
    stream.send(1, { type: "trace_end", step_id: "step_1", status: "cancelled", latency_ms: 0 });
    stream.send(2, { type: "error", code: "cancelled", message: "The run was cancelled." });
    stream.close();

    expect(posted.map((p) => p.url)).toEqual(["/api/agents/ops-assistant/threads/thread_1/runs/run_1/cancel"]);
    await vi.waitFor(() => expect(conversation.current.liveRunId).toBeNull());
    await vi.waitFor(() => expect(toolCalls(conversation)[0]!.status).toBe("cancelled"));
    expect(approvals(posted)).toEqual([]);
    conversation.dispose();
  });
});

describe("Conversation told a round has calls it did not show", () => {
  beforeEach(() => {
    sessionStorage.clear();
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal("cancelAnimationFrame", (h: number) => clearTimeout(h));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("reads the run again on 422, keeps the choice made, and sends all once the other call is decided", async () => {
    const shown = waiting(awaitingStep("step_1", "12 * 7"));
    const stored = waiting(awaitingStep("step_1", "12 * 7"), awaitingStep("step_2", "2 + 2"));
    let answers = 0;
    const { api, posted, stream } = service([shown, stored], () =>
      ++answers === 1
        ? Response.json({ status: 422, code: "invalid_approvals", detail: "x", missing_step_ids: ["step_2"], unknown_step_ids: [], duplicate_step_ids: [] },
          { status: 422, headers: { "Content-Type": "application/problem+json" } })
        : Response.json(withRun(stored, "in_progress", []).runs[0]));
    const conversation = opened(api);
    await vi.waitFor(() => expect(toolCalls(conversation)[0]?.status).toBe("awaiting_approval"));

    await conversation.decide("run_1", "step_1", true);

    expect(toolCalls(conversation).map((c) => [c.stepId, c.status])).toEqual([["step_1", "awaiting_approval"], ["step_2", "awaiting_approval"]]);
    expect(conversation.current.choices.get("step_1")).toEqual({ approved: true, sent: false });
    expect(conversation.current.notice?.text).toBe("Every waiting tool call needs a decision.");
    await conversation.decide("run_1", "step_2", false);
    expect(approvals(posted).map((p) => p.body)).toEqual([
      { decisions: [{ step_id: "step_1", approved: true }] },
      { decisions: [{ step_id: "step_1", approved: true }, { step_id: "step_2", approved: false }] },
    ]);
    stream.close();
    conversation.dispose();
  });
});

describe("Conversation with a call that waits for the client app", () => {
  beforeEach(() => {
    sessionStorage.clear();
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal("cancelAnimationFrame", (h: number) => clearTimeout(h));
  });
  afterEach(() => vi.unstubAllGlobals());

  /** A thread whose run waits for the app's result on `step_1`, stored as the other read of a waiting call tells it. */
  function waitingForTheApp(stored: "awaiting_result" | "pending_entry") {
    const thread = waiting(awaitingStep("step_1", "12 * 7"));
    const step = { ...thread.runs[0]!.steps[0]!, tool: "confirm_booking",
      status: stored === "awaiting_result" ? "awaiting_result" : "in_progress" };
    const pending = [{ ...thread.runs[0]!.pending_approvals[0]!, tool: "confirm_booking",
      ...(stored === "pending_entry" ? { client_side: true } : {}) }];
    return { ...thread, runs: [{ ...thread.runs[0]!, steps: [step], pending_approvals: pending }] };
  }

  it("after a reload shows the call waiting for the app, refuses to approve it, and sends a Deny at once", async () => {
    for (const stored of ["awaiting_result", "pending_entry"] as const) {
      const thread = waitingForTheApp(stored);
      const { api, posted, stream } = service([thread], () => Response.json(withRun(thread, "in_progress", []).runs[0]));
      const conversation = opened(api);
      await vi.waitFor(() => expect(toolCalls(conversation)[0]).toMatchObject({ status: "awaiting_result", tool: "confirm_booking" }));
      expect(conversation.current.runs[0]!.status).toBe("requires_action");

      await conversation.decide("run_1", "step_1", true);
      expect(approvals(posted)).toEqual([]);
      expect(conversation.current.choices.size).toBe(0);
      await conversation.decide("run_1", "step_1", false);

      expect(approvals(posted).map((p) => p.body)).toEqual([{ decisions: [{ step_id: "step_1", approved: false }] }]);
      stream.close();
      conversation.dispose();
    }
  });

  it("takes the app's call from its event, decides a person's call beside it without waiting for the app", async () => {
    const thread = waiting(awaitingStep("step_2", "1 + 1"));
    const { api, posted, stream } = service([thread], () => Response.json(withRun(thread, "in_progress", []).runs[0]));
    const conversation = opened(api);
    await vi.waitFor(() => expect(toolCalls(conversation)[0]?.status).toBe("awaiting_approval"));
    stream.send(1, { type: "trace_start", step_id: "step_1", tool: "confirm_booking", arguments: "{\"seat\":\"4A\"}" });
    stream.send(2, { type: "approval_required", step_id: "step_1", tool: "confirm_booking", arguments: "{\"seat\":\"4A\"}",
      expires_at: EXPIRES, client_side: true });
    await vi.waitFor(() => expect(toolCalls(conversation).find((c) => c.stepId === "step_1")?.status).toBe("awaiting_result"));

    await conversation.decide("run_1", "step_2", true);

    expect(approvals(posted).map((p) => p.body)).toEqual([{ decisions: [{ step_id: "step_2", approved: true }] }]);
    stream.send(3, { type: "trace_end", step_id: "step_1", status: "completed", output: "booked", latency_ms: 5 });
    await vi.waitFor(() => expect(toolCalls(conversation).find((c) => c.stepId === "step_1")).toMatchObject({
      status: "completed", output: "booked",
    }));
    stream.close();
    conversation.dispose();
  });
});
