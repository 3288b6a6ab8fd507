import type { Message, Run, Step, ThreadWithMessages, TraceEvent } from "../api/types";

export type MessageStatus = "streaming" | "complete" | "incomplete" | "failed" | "cancelled";

export interface MessageView {
  readonly key: string;
  readonly id: string | undefined;
  readonly role: "user" | "assistant";
  readonly content: string;
  readonly status: MessageStatus;
  readonly runId: string | undefined;
}

export interface ToolCallView {
  readonly stepId: string;
  readonly tool: string;
  readonly arguments: string;
  readonly progress: readonly string[];
  readonly status: "running" | "completed" | "failed" | "cancelled";
  readonly output?: string;
  readonly error?: string;
  readonly latencyMs?: number;
}

export interface ModelCallView {
  readonly id: string;
  readonly model: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly totalTokens?: number;
  readonly estimated: boolean;
  readonly costUsd: number | null;
  readonly latencyMs?: number;
  readonly status: string;
}

export interface RunView {
  readonly runId: string;
  readonly number: number;
  readonly status: string;
  readonly toolCalls: readonly ToolCallView[];
  readonly modelCalls: readonly ModelCallView[];
  readonly totalTokens?: number;
  readonly costUsd: number | null;
}

/** A tool call after one more trace event. */
export function applyTrace(calls: readonly ToolCallView[], event: TraceEvent): ToolCallView[] {
  if (event.type === "trace_start") {
    if (calls.some((c) => c.stepId === event.step_id)) return [...calls];
    return [...calls, { stepId: event.step_id, tool: event.tool, arguments: event.arguments, progress: [], status: "running" }];
  }
  return calls.map((call) => {
    if (call.stepId !== event.step_id) return call;
    if (event.type === "trace_update") return { ...call, progress: [...call.progress, event.progress] };
    return {
      ...call,
      status: event.status,
      ...(event.output !== undefined ? { output: event.output } : {}),
      ...(event.error !== undefined ? { error: event.error } : {}),
      latencyMs: event.latency_ms,
    };
  });
}

function stepError(step: Step): string | undefined {
  const error = step.error;
  if (!error) return undefined;
  if (typeof error === "string") return error;
  return error.message ?? error.code;
}

function toolStatus(status: string): ToolCallView["status"] {
  return status === "completed" || status === "failed" || status === "cancelled" ? status : "running";
}

export function runView(run: Run, number: number): RunView {
  const steps = run.steps ?? [];
  return {
    runId: run.id,
    number,
    status: run.status,
    toolCalls: steps
      .filter((s) => s.type === "tool_call")
      .map((s) => ({
        stepId: s.id,
        tool: s.tool ?? "tool",
        arguments: s.arguments ?? "",
        progress: [],
        status: toolStatus(s.status),
        ...(s.output != null ? { output: s.output } : {}),
        ...(stepError(s) !== undefined ? { error: stepError(s)! } : {}),
        ...(s.latency_ms != null ? { latencyMs: s.latency_ms } : {}),
      })),
    modelCalls: steps
      .filter((s) => s.type === "model_call")
      .map((s) => ({
        id: s.id,
        model: s.model ?? "model",
        ...(s.usage?.prompt_tokens != null ? { promptTokens: s.usage.prompt_tokens } : {}),
        ...(s.usage?.completion_tokens != null ? { completionTokens: s.usage.completion_tokens } : {}),
        ...(s.usage?.total_tokens != null ? { totalTokens: s.usage.total_tokens } : {}),
        estimated: s.usage?.estimated === true,
        costUsd: s.cost_usd ?? null,
        ...(s.latency_ms != null ? { latencyMs: s.latency_ms } : {}),
        status: s.status,
      })),
    ...(run.usage?.total_tokens != null ? { totalTokens: run.usage.total_tokens } : {}),
    costUsd: run.cost_usd ?? null,
  };
}

/** The stored conversation as the UI shows it: an answer of a stopped run shows as stopped. */
export function messageViews(thread: ThreadWithMessages): MessageView[] {
  const runStatus = new Map(thread.runs.map((r) => [r.id, r.status]));
  return thread.messages
    .filter((m): m is Message & { role: "user" | "assistant" } => m.role === "user" || m.role === "assistant")
    .map((m) => {
      let status: MessageStatus = m.status;
      if (m.role === "assistant") {
        const run = runStatus.get(m.run_id);
        if (run === "cancelled") status = "cancelled";
        else if (run === "failed") status = "failed";
      }
      // An answer keeps the key it had while it streamed, so the view keeps its rendered blocks.
      const key = m.role === "assistant" ? answerKey(m.run_id) : m.id;
      return { key, id: m.id, role: m.role, content: m.content, status, runId: m.run_id };
    });
}

/** The view's key for a run's answer, the same while it streams and once it is stored. */
export function answerKey(runId: string): string {
  return `answer-${runId}`;
}
