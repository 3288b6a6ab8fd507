// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { ThreadWithMessages } from "../src/api/types";
import { applyTrace, messageViews, runView } from "../src/run/views";

describe("tool calls from trace events", () => {
  it("follows a call from start through progress to its end", () => {
    let calls = applyTrace([], { type: "trace_start", step_id: "s1", tool: "search", arguments: "{\"q\":1}" });
    expect(calls[0]).toMatchObject({ stepId: "s1", tool: "search", status: "running" });
    calls = applyTrace(calls, { type: "trace_update", step_id: "s1", progress: "searched 8 articles" });
    calls = applyTrace(calls, { type: "trace_end", step_id: "s1", status: "completed", output: "{\"r\":2}", latency_ms: 23 });
    expect(calls).toEqual([
      { stepId: "s1", tool: "search", arguments: "{\"q\":1}", progress: ["searched 8 articles"], status: "completed", output: "{\"r\":2}", latencyMs: 23 },
    ]);
  });

  it("does not add a call twice when its start is replayed", () => {
    const start = { type: "trace_start", step_id: "s1", tool: "t", arguments: "" } as const;
    expect(applyTrace(applyTrace([], start), start)).toHaveLength(1);
  });
});

describe("the stored thread as shown", () => {
  const thread = {
    id: "t", agent_id: "a", title: "x", status: "active", created_at: "", updated_at: "",
    messages: [
      { id: "m1", role: "user", content: "hi", status: "complete", run_id: "r1", created_at: "" },
      { id: "m2", role: "assistant", content: "part", status: "incomplete", run_id: "r1", created_at: "" },
      { id: "m0", role: "system", content: "secret", status: "complete", run_id: "r1", created_at: "" },
    ],
    runs: [{
      id: "r1", thread_id: "t", status: "cancelled", request_message_id: "m1", created_at: "",
      usage: { total_tokens: 30 }, cost_usd: 0.002,
      steps: [
        { id: "s1", type: "model_call", status: "completed", model: "gpt", usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 }, cost_usd: 0.002, latency_ms: 9 },
        { id: "s2", type: "tool_call", status: "failed", tool: "calc", arguments: "{}", error: { code: "bad", message: "division by zero" }, latency_ms: 1 },
      ],
    }],
  } as unknown as ThreadWithMessages;

  it("shows an answer of a stopped run as cancelled, and no system messages", () => {
    const views = messageViews(thread);
    expect(views.map((m) => [m.role, m.status])).toEqual([["user", "complete"], ["assistant", "cancelled"]]);
  });

  it("lists a run's model calls with tokens and cost, and its tool calls with their errors", () => {
    const run = runView(thread.runs[0]!, 1);
    expect(run.modelCalls).toEqual([
      { id: "s1", model: "gpt", promptTokens: 20, completionTokens: 10, totalTokens: 30, estimated: false, costUsd: 0.002, latencyMs: 9, status: "completed" },
    ]);
    expect(run.toolCalls[0]).toMatchObject({ stepId: "s2", status: "failed", error: "division by zero" });
    expect(run).toMatchObject({ totalTokens: 30, costUsd: 0.002 });
  });
});
