import type { ApprovalRequiredEvent, Message, PendingApproval, Run, Step, ThreadWithMessages, TraceEvent } from "../api/types";

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
  /**
   * `awaiting_approval`: the call waits for a person's Approve or Deny; `awaiting_result`: it is a call of the
   * client app's own tool and waits for that app to run it (a person here may only deny it); `denied`: it was
   * not run.
   */
  readonly status: ToolCallStatus;
  /** When an awaiting call counts as denied if nobody decided it. */
  readonly expiresAt?: string;
  readonly output?: string;
  readonly error?: string;
  readonly latencyMs?: number;
}

export type ToolCallStatus =
  | "awaiting_approval"
  | "awaiting_result"
  | "running"
  | "completed"
  | "failed"
  | "cancelled"
  | "denied";

const ENDED: ReadonlySet<ToolCallStatus> = new Set(["completed", "failed", "cancelled", "denied"]);

/** Whether the call holds its run: it waits for a person's decision, or for the client app's result. */
export function isWaiting(call: ToolCallView): boolean {
  return call.status === "awaiting_approval" || call.status === "awaiting_result";
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
    if (!calls.some((c) => c.stepId === event.step_id)) {
      return [...calls, { stepId: event.step_id, tool: event.tool, arguments: event.arguments, progress: [], status: "running" }];
    }
    // An approved call starts now, with the arguments it runs with (the person's, if they gave others). A call
    // that has already ended stays as it ended.
    return calls.map((call) =>
      call.stepId !== event.step_id || ENDED.has(call.status)
        ? call
        : { ...call, status: "running", arguments: event.arguments },
    );
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

/**
 * A tool call that waits for a person's decision, or for the client app's result: shown with its arguments and
 * when it expires.
 */
export function applyApprovalRequired(calls: readonly ToolCallView[], event: ApprovalRequiredEvent): ToolCallView[] {
  const waiting = {
    stepId: event.step_id,
    tool: event.tool,
    arguments: event.arguments,
    status: event.client_side === true ? ("awaiting_result" as const) : ("awaiting_approval" as const),
    expiresAt: event.expires_at,
  };
  if (!calls.some((c) => c.stepId === event.step_id)) return [...calls, { ...waiting, progress: [] }];
  return calls.map((call) => (call.stepId !== event.step_id || ENDED.has(call.status) ? call : { ...call, ...waiting }));
}

function stepError(step: Step): string | undefined {
  const error = step.error;
  if (!error) return undefined;
  if (typeof error === "string") return error;
  return error.message ?? error.code;
}

/**
 * A stored call's status as the view shows it. A call of the client app's tool is told by its step (`client_side`,
 * or the status `awaiting_result`) or by the run's pending entry for it, whichever the read has.
 */
function toolStatus(step: Step, waiting: PendingApproval | undefined): ToolCallStatus {
  const status = step.status;
  if (ENDED.has(status as ToolCallStatus)) return status as ToolCallStatus;
  const clientSide = waiting?.client_side === true || (status === "awaiting_approval" && step.client_side === true);
  if (status === "awaiting_result" || clientSide) return "awaiting_result";
  return status === "awaiting_approval" ? "awaiting_approval" : "running";
}

/** The tool calls of a stored run: an awaiting call comes back with its expiry, so its buttons show again after a reload. */
function toolCallViews(run: Run): ToolCallView[] {
  const steps = (run.steps ?? []).filter((s) => s.type === "tool_call");
  const pending = run.status === "requires_action" ? (run.pending_approvals ?? []) : [];
  const calls: ToolCallView[] = steps.map((s) => {
    const edited = s.approval?.arguments;
    const waiting = pending.find((p) => p.step_id === s.id);
    const expiresAt = s.approval?.expires_at ?? waiting?.expires_at;
    const error = stepError(s);
    return {
      stepId: s.id,
      tool: s.tool ?? "tool",
      // The arguments the call ran with: the person's, when they gave others than the model's.
      arguments: edited ?? s.arguments ?? "",
      progress: [],
      status: toolStatus(s, waiting),
      ...(expiresAt != null ? { expiresAt } : {}),
      ...(s.output != null ? { output: s.output } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(s.latency_ms != null ? { latencyMs: s.latency_ms } : {}),
    };
  });
  // A waiting call whose step the read left out still gets its buttons.
  for (const p of pending) {
    if (calls.some((c) => c.stepId === p.step_id)) continue;
    calls.push({
      stepId: p.step_id, tool: p.tool, arguments: p.arguments, progress: [],
      status: p.client_side === true ? "awaiting_result" : "awaiting_approval", expiresAt: p.expires_at,
    });
  }
  return calls;
}

export function runView(run: Run, number: number): RunView {
  const steps = run.steps ?? [];
  return {
    runId: run.id,
    number,
    status: run.status,
    toolCalls: toolCallViews(run),
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
