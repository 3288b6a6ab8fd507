// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { Run, ThreadWithMessages } from "../src/api/types";
import { applyApprovalRequired, applyTrace, messageViews, runView } from "../src/run/views";

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

describe("tool calls that wait for approval", () => {
  const required = {
    type: "approval_required", step_id: "s1", tool: "calculator", arguments: "{\"expression\":\"12 * 7\"}",
    expires_at: "2026-12-04T19:45:00Z", timestamp: "2026-12-04T19:30:00Z",
  } as const;

  it("waits with its arguments and expiry, then runs with the arguments it was approved with", () => {
    let calls = applyApprovalRequired([], required);
    expect(calls).toEqual([{
      stepId: "s1", tool: "calculator", arguments: "{\"expression\":\"12 * 7\"}", progress: [],
      status: "awaiting_approval", expiresAt: "2026-12-04T19:45:00Z",
    }]);
    calls = applyTrace(calls, { type: "trace_start", step_id: "s1", tool: "calculator", arguments: "{\"expression\":\"12 * 8\"}" });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ status: "running", arguments: "{\"expression\":\"12 * 8\"}" });
    calls = applyTrace(calls, { type: "trace_end", step_id: "s1", status: "completed", output: "96", latency_ms: 2 });
    expect(calls[0]).toMatchObject({ status: "completed", output: "96", latencyMs: 2 });
  });

  it("ends denied with the reason the model was given, and a late start does not revive it", () => {
    let calls = applyApprovalRequired([], required);
    calls = applyTrace(calls, {
      type: "trace_end", step_id: "s1", status: "denied", error: "The user denied this tool call: not now.", latency_ms: 0,
    });
    expect(calls[0]).toMatchObject({ status: "denied", error: "The user denied this tool call: not now." });
    calls = applyTrace(calls, { type: "trace_start", step_id: "s1", tool: "calculator", arguments: "{}" });
    calls = applyApprovalRequired(calls, required);
    expect(calls[0]).toMatchObject({ status: "denied", arguments: "{\"expression\":\"12 * 7\"}" });
  });

  it("comes back from the stored run as waiting, with its expiry, so a reload offers the decision again", () => {
    const run = {
      id: "r1", thread_id: "t", status: "requires_action", request_message_id: "m1", created_at: "",
      steps: [
        { id: "s0", type: "tool_call", status: "completed", tool: "current_time", arguments: "{}", output: "{\"date\":\"x\"}", approval: null },
        { id: "s1", type: "tool_call", status: "awaiting_approval", tool: "calculator", arguments: "{\"expression\":\"12 * 7\"}",
          approval: { approved: null, expires_at: "2026-12-04T19:45:00Z", expired: false } },
        { id: "s2", type: "tool_call", status: "awaiting_approval", tool: "calculator", arguments: "{\"expression\":\"1 + 1\"}" },
      ],
      pending_approvals: [
        { step_id: "s1", tool: "calculator", arguments: "{\"expression\":\"12 * 7\"}", expires_at: "2026-12-04T19:45:00Z" },
        { step_id: "s2", tool: "calculator", arguments: "{\"expression\":\"1 + 1\"}", expires_at: "2026-12-04T19:46:00Z" },
      ],
    } as unknown as Run;
    const view = runView(run, 1);
    expect(view.status).toBe("requires_action");
    expect(view.toolCalls.map((c) => [c.stepId, c.status, c.expiresAt])).toEqual([
      ["s0", "completed", undefined],
      ["s1", "awaiting_approval", "2026-12-04T19:45:00Z"],
      ["s2", "awaiting_approval", "2026-12-04T19:46:00Z"],
    ]);
  });

  it("shows a decided call of a stored run with the arguments it ran with, and a denied one as denied", () => {
    const run = {
      id: "r1", thread_id: "t", status: "completed", request_message_id: "m1", created_at: "",
      steps: [
        { id: "s1", type: "tool_call", status: "completed", tool: "calculator", arguments: "{\"expression\":\"12 * 7\"}", output: "96",
          approval: { approved: true, arguments: "{\"expression\":\"12 * 8\"}", decided_by: "u", expires_at: "2026-12-04T19:45:00Z", expired: false } },
        { id: "s2", type: "tool_call", status: "denied", tool: "calculator", arguments: "{}", error: "The user denied this tool call.",
          approval: { approved: false, expires_at: "2026-12-04T19:45:00Z", expired: false } },
      ],
    } as unknown as Run;
    const [approved, denied] = runView(run, 1).toolCalls;
    expect(approved).toMatchObject({ status: "completed", arguments: "{\"expression\":\"12 * 8\"}", output: "96" });
    expect(denied).toMatchObject({ status: "denied", error: "The user denied this tool call." });
  });
});

describe("calls of the client app's own tools, which wait for that app", () => {
  const EXPIRES = "2026-12-04T19:45:00Z";

  it("waits for the app's result when its event says client_side, and completes with what the app gave", () => {
    let calls = applyTrace([], { type: "trace_start", step_id: "s1", tool: "confirm_booking", arguments: "{\"seat\":\"4A\"}" });
    calls = applyApprovalRequired(calls, {
      type: "approval_required", step_id: "s1", tool: "confirm_booking", arguments: "{\"seat\":\"4A\"}",
      expires_at: EXPIRES, client_side: true,
    });
    expect(calls).toEqual([{
      stepId: "s1", tool: "confirm_booking", arguments: "{\"seat\":\"4A\"}", progress: [], status: "awaiting_result",
      expiresAt: EXPIRES,
    }]);
    expect(applyApprovalRequired([], {
      type: "approval_required", step_id: "s2", tool: "calc", arguments: "{}", expires_at: EXPIRES, client_side: false,
    })[0]!.status).toBe("awaiting_approval");
    calls = applyTrace(calls, { type: "trace_end", step_id: "s1", status: "completed", output: "booked", latency_ms: 900 });
    expect(calls[0]).toMatchObject({ status: "completed", output: "booked" });
  });

  it("comes back from the stored run as waiting for the app, whichever way the read tells it", () => {
    const run = {
      id: "r1", thread_id: "t", status: "requires_action", request_message_id: "m1", created_at: "",
      steps: [
        { id: "s1", type: "tool_call", status: "awaiting_result", tool: "pick_date", arguments: "{}" },
        { id: "s2", type: "tool_call", status: "awaiting_approval", tool: "pick_seat", arguments: "{}", client_side: true },
        { id: "s3", type: "tool_call", status: "in_progress", tool: "pick_meal", arguments: "{}" },
        { id: "s4", type: "tool_call", status: "awaiting_approval", tool: "calculator", arguments: "{}",
          approval: { approved: null, expires_at: EXPIRES, expired: false } },
        { id: "s5", type: "tool_call", status: "completed", tool: "pick_time", arguments: "{}", output: "9:00", client_side: true },
      ],
      pending_approvals: [
        { step_id: "s1", tool: "pick_date", arguments: "{}", expires_at: EXPIRES },
        { step_id: "s2", tool: "pick_seat", arguments: "{}", expires_at: EXPIRES },
        { step_id: "s3", tool: "pick_meal", arguments: "{}", expires_at: EXPIRES, client_side: true },
        { step_id: "s4", tool: "calculator", arguments: "{}", expires_at: EXPIRES, client_side: false },
        { step_id: "s6", tool: "pick_bag", arguments: "{}", expires_at: EXPIRES, client_side: true },
      ],
    } as unknown as Run;

    expect(runView(run, 1).toolCalls.map((c) => [c.stepId, c.status, c.expiresAt])).toEqual([
      ["s1", "awaiting_result", EXPIRES],
      ["s2", "awaiting_result", EXPIRES],
      ["s3", "awaiting_result", EXPIRES],
      ["s4", "awaiting_approval", EXPIRES],
      ["s5", "completed", undefined],
      ["s6", "awaiting_result", EXPIRES],
    ]);
  });
});
