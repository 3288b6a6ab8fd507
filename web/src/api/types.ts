// The shapes of the service's API (adapter-http's openapi.yaml), as far as the UI reads them.

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly status: "active" | "inactive";
  readonly aliases?: readonly string[];
}

export interface AgentPage {
  readonly agents: readonly Agent[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export type ThreadStatus = "active" | "deleted";

export interface Thread {
  readonly id: string;
  readonly agent_id: string;
  readonly title: string;
  readonly status: ThreadStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly active_run_id?: string | null;
}

export interface ThreadPage {
  readonly threads: readonly Thread[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export interface Message {
  readonly id: string;
  readonly role: "system" | "user" | "assistant" | "tool";
  readonly content: string;
  readonly status: "complete" | "incomplete";
  readonly run_id: string;
  readonly created_at: string;
}

export interface Usage {
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
  readonly total_tokens?: number;
  readonly estimated?: boolean;
}

export type RunStatus =
  | "queued"
  | "in_progress"
  | "cancelling"
  | "requires_action"
  | "completed"
  | "failed"
  | "cancelled"
  | "incomplete";

/** A step as the thread read returns it: one per model call and one per tool call. */
export interface Step {
  readonly id: string;
  readonly type: "model_call" | "tool_call" | string;
  readonly status: string;
  readonly round?: number;
  readonly model?: string;
  readonly usage?: Usage | null;
  readonly cost_usd?: number | null;
  readonly tool?: string;
  readonly arguments?: string;
  readonly output?: string | null;
  readonly error?: string | { code?: string; message?: string } | null;
  readonly latency_ms?: number | null;
  /** A tool call that needed a person's approval: when it expires (expires_at) and what was decided. */
  readonly approval?: StepApproval | null;
  /**
   * A call of a tool of the client app that asked (an AG-UI front end): it waits for that app's result, not
   * for a person here. A stored step may tell it so, or by its status `awaiting_result`.
   */
  readonly client_side?: boolean;
}

/** The approval of one tool call: undecided (approved null) while its run waits, then the decision. */
export interface StepApproval {
  readonly approved?: boolean | null;
  readonly reason?: string | null;
  /** The arguments the person gave instead of the model's, if any (JSON text). */
  readonly arguments?: string | null;
  readonly decided_by?: string | null;
  readonly decided_at?: string | null;
  readonly expires_at?: string | null;
  readonly expired?: boolean | null;
}

/** A tool call its run waits on (while the run is `requires_action`). */
export interface PendingApproval {
  readonly step_id: string;
  readonly tool: string;
  /** The model's arguments, as JSON text. */
  readonly arguments: string;
  readonly expires_at: string;
  /** A call of the client app's own tool: it waits for the app's result, and a person here may only deny it. */
  readonly client_side?: boolean;
}

/** One decision of `POST .../runs/{runId}/approvals`. */
export interface ApprovalDecision {
  readonly step_id: string;
  readonly approved: boolean;
  readonly reason?: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

export interface Run {
  readonly id: string;
  readonly thread_id: string;
  readonly status: RunStatus;
  readonly answer_message_id?: string | null;
  readonly request_message_id: string;
  readonly created_at: string;
  readonly duration_ms?: number | null;
  readonly usage?: Usage | null;
  readonly cost_usd?: number | null;
  readonly error?: { code?: string; message?: string } | null;
  readonly steps?: readonly Step[];
  /** The calls the run waits on while it is `requires_action`; empty otherwise. */
  readonly pending_approvals?: readonly PendingApproval[];
}

export interface ThreadWithMessages extends Thread {
  readonly messages: readonly Message[];
  readonly runs: readonly Run[];
}

/** A run that still holds its thread: a reload re-joins it (one waiting for an approval too). */
export const ACTIVE_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(["queued", "in_progress", "cancelling", "requires_action"]);

// The frames of a chat stream.
export interface TokenEvent { readonly type: "token"; readonly content: string }
export interface TraceStartEvent {
  readonly type: "trace_start"; readonly step_id: string; readonly tool: string; readonly arguments: string;
}
export interface TraceUpdateEvent { readonly type: "trace_update"; readonly step_id: string; readonly progress: string }
export interface TraceEndEvent {
  readonly type: "trace_end"; readonly step_id: string; readonly status: "completed" | "failed" | "cancelled" | "denied";
  readonly output?: string; readonly error?: string; readonly latency_ms: number;
}
/**
 * A tool call waits for a decision; `arguments` is JSON text, as in `trace_start`. With `client_side`, the call
 * is of the client app's own tool and waits for that app's result, not for a person.
 */
export interface ApprovalRequiredEvent {
  readonly type: "approval_required"; readonly step_id: string; readonly tool: string; readonly arguments: string;
  readonly expires_at: string; readonly timestamp?: string; readonly client_side?: boolean;
}
export interface DoneEvent {
  readonly type: "done"; readonly run_id: string; readonly thread_id: string; readonly message_id: string;
  readonly tokens_used: number;
}
export interface ErrorEvent { readonly type: "error"; readonly message: string; readonly code: string }
export interface HeartbeatEvent { readonly type: "heartbeat" }

export type ChatEvent =
  | TokenEvent
  | TraceStartEvent
  | TraceUpdateEvent
  | TraceEndEvent
  | ApprovalRequiredEvent
  | DoneEvent
  | ErrorEvent
  | HeartbeatEvent;

export type TraceEvent = TraceStartEvent | TraceUpdateEvent | TraceEndEvent;
