/**
 * An error answer of the API (an RFC 9457 problem with a stable `code`), or a failure to reach it.
 * The UI shows {@link describe}'s words, never the JSON.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** The problem's own members, such as `active_run_id` of `thread_busy`. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail || code);
    this.name = "ApiError";
  }

  /** A string member of the problem, such as `active_run_id`. */
  member(name: string): string | undefined {
    const value = this.extra[name];
    return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
  }
}

/** The service could not be reached at all (network down, connection reset). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("The service cannot be reached.", { cause });
    this.name = "NetworkError";
  }
}

/** Reads a failed response into an ApiError, whatever its body (problem+json, other JSON, HTML, nothing). */
export async function problemOf(response: Response): Promise<ApiError> {
  let body: unknown = undefined;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const code = typeof record.code === "string" ? record.code : `http_${response.status}`;
    const detail = typeof record.detail === "string" ? record.detail : "";
    return new ApiError(response.status, code, detail, record);
  }
  return new ApiError(response.status, `http_${response.status}`, "");
}

const WORDS: Record<string, string> = {
  thread_busy: "This conversation is still answering the previous message.",
  too_many_active_runs: "You have too many answers in progress. Wait for one to finish, then try again.",
  unauthorized: "You are not signed in.",
  invalid_token: "Your sign-in has expired or was refused.",
  insufficient_scope: "Your account may not use this service.",
  forbidden: "You are not allowed to do that.",
  authentication_unavailable: "Sign-in cannot be checked right now. Try again in a moment.",
  service_draining: "The service is restarting. Send your message again in a moment.",
  service_stopping: "The service restarted while answering; the answer so far is kept.",
  agent_not_found: "This agent does not exist.",
  thread_not_found: "This conversation does not exist.",
  events_expired: "The live answer is no longer available; showing what was stored.",
  cancelled: "The answer was stopped.",
  model_error: "The model failed to answer.",
  run_timeout: "The answer took too long and was stopped.",
  approval_conflict: "These tool calls were already decided, or the answer no longer waits for a decision.",
  approval_expired: "The time to decide has passed: the waiting tool calls count as denied.",
  invalid_approvals: "Every waiting tool call needs a decision.",
};

/** Words for a person, for any error the UI may meet. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const known = WORDS[error.code];
    if (known) return known;
    if (error.detail) return error.detail;
    if (error.status >= 500) return `The service failed (HTTP ${error.status}). Try again.`;
    return `The request was refused (HTTP ${error.status}).`;
  }
  if (error instanceof NetworkError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

/** Words for an `error` frame of a chat stream. */
export function describeStreamError(code: string, message: string): string {
  if (code === "cancelled") return WORDS.cancelled!;
  return message || WORDS[code] || `The answer failed (${code}).`;
}
