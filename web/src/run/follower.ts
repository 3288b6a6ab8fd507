import type { Api } from "../api/client";
import { ApiError, NetworkError } from "../api/problem";
import type { ChatEvent, DoneEvent, ErrorEvent } from "../api/types";
import { readSse } from "../sse/parser";

/** What the UI hears of a run while it is followed. */
export interface RunHandlers {
  /** The run answering is known (from the chat response's headers, or the busy thread's problem). */
  started?(runId: string, threadId: string): void;
  /** The thread was busy: the message was not taken, and the run already answering is followed. */
  busy?(runId: string): void;
  /** Each frame of the run with its id, in order and once only, across every reconnect. */
  event(event: ChatEvent, id: number): void;
  /** The stream dropped; another try follows after delayMs. */
  reconnecting?(attempt: number, delayMs: number): void;
}

export type RunOutcome =
  | { readonly kind: "done"; readonly event: DoneEvent }
  | { readonly kind: "error"; readonly event: ErrorEvent }
  /** 410 `events_expired`: the run's events are gone; the thread read has its result. */
  | { readonly kind: "expired" }
  /** Reconnecting failed for too long. */
  | { readonly kind: "lost"; readonly error: unknown }
  /** The service refused to follow the run (404, 401, ...). */
  | { readonly kind: "refused"; readonly error: ApiError }
  | { readonly kind: "aborted" };

export interface SendResult {
  readonly runId: string;
  readonly threadId: string;
  /** The thread was busy, so the run already answering in it was followed instead. */
  readonly followedBusyRun: boolean;
  readonly outcome: RunOutcome;
}

export interface FollowerOptions {
  /** The delay before reconnect attempt n (0-based). */
  readonly backoff: (attempt: number) => number;
  /** Give up when reconnecting has failed for this long since the connection last carried a frame. */
  readonly giveUpAfterMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  readonly newKey: () => string;
}

export const DEFAULT_FOLLOWER_OPTIONS: FollowerOptions = {
  backoff: (attempt) => Math.min(500 * 2 ** attempt, 10_000),
  giveUpAfterMs: 60_000,
  sleep: abortableSleep,
  now: () => Date.now(),
  newKey: () => crypto.randomUUID(),
};

/** Where a followed run is: the id of the last event handed on, so a reconnect asks only for what came after. */
class Cursor {
  lastEventId: number | undefined;
  /** Frames of any kind received, heartbeats included: the service was reachable and the run alive. */
  framesReceived = 0;
  constructor(lastEventId: number | undefined) {
    this.lastEventId = lastEventId;
  }
}

/**
 * Follows a chat run to its `done` or `error` over any number of dropped connections: the chat POST's
 * own stream first, then the run's events endpoint with `Last-Event-ID`, with backoff. An event is
 * handed on once: a replay that repeats ids already seen (a retried POST replays from the start) is
 * skipped, so the answer has no gap and no repeated text.
 */
export class RunFollower {
  private readonly options: FollowerOptions;

  constructor(
    private readonly api: Api,
    options: Partial<FollowerOptions> = {},
  ) {
    this.options = { ...DEFAULT_FOLLOWER_OPTIONS, ...options };
  }

  /**
   * Sends a message and follows the run that answers it. A thread that is busy with another run is
   * not an error: that run is followed instead (from its start), and the caller keeps the message.
   * Other refusals are thrown as ApiError.
   */
  async send(
    agentId: string,
    threadId: string | null,
    message: string,
    handlers: RunHandlers,
    signal?: AbortSignal,
  ): Promise<SendResult> {
    const key = this.options.newKey();
    const cursor = new Cursor(undefined);
    const since = this.options.now();
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.api.chat(agentId, threadId, message, key, signal);
      } catch (error) {
        if (signal?.aborted) return { runId: "", threadId: threadId ?? "", followedBusyRun: false, outcome: ABORTED };
        if (error instanceof ApiError && error.code === "thread_busy" && threadId) {
          const busyRun = error.member("active_run_id") ?? error.member("run_id");
          if (busyRun) {
            handlers.busy?.(busyRun);
            handlers.started?.(busyRun, threadId);
            const outcome = await this.follow(agentId, threadId, busyRun, undefined, handlers, signal);
            return { runId: busyRun, threadId, followedBusyRun: true, outcome };
          }
        }
        // Nothing reached the service, or it failed before answering: the same Idempotency-Key
        // makes a retry safe (it gets the same run, replayed from the start).
        const retryable = error instanceof NetworkError || (error instanceof ApiError && error.status >= 502);
        if (!retryable || this.options.now() - since > this.options.giveUpAfterMs) throw error;
        const delay = this.options.backoff(attempt);
        handlers.reconnecting?.(attempt + 1, delay);
        try {
          await this.options.sleep(delay, signal);
        } catch {
          return { runId: "", threadId: threadId ?? "", followedBusyRun: false, outcome: ABORTED };
        }
        continue;
      }
      const runId = response.headers.get("X-Run-Id") ?? "";
      const newThreadId = response.headers.get("X-Thread-Id") ?? threadId ?? "";
      handlers.started?.(runId, newThreadId);
      const end = await this.consume(response, cursor, handlers, signal);
      if (end) return { runId, threadId: newThreadId, followedBusyRun: false, outcome: end };
      if (signal?.aborted) return { runId, threadId: newThreadId, followedBusyRun: false, outcome: ABORTED };
      const outcome = await this.resume(agentId, newThreadId, runId, cursor, handlers, signal, true);
      return { runId, threadId: newThreadId, followedBusyRun: false, outcome };
    }
  }

  /** Re-joins a run after the given event id (undefined: replays it from the start). */
  follow(
    agentId: string,
    threadId: string,
    runId: string,
    lastEventId: number | undefined,
    handlers: RunHandlers,
    signal?: AbortSignal,
  ): Promise<RunOutcome> {
    return this.resume(agentId, threadId, runId, new Cursor(lastEventId), handlers, signal, false);
  }

  private async resume(
    agentId: string,
    threadId: string,
    runId: string,
    cursor: Cursor,
    handlers: RunHandlers,
    signal: AbortSignal | undefined,
    afterDrop: boolean,
  ): Promise<RunOutcome> {
    let attempt = 0;
    let lastProgress = this.options.now();
    let lastError: unknown = undefined;
    for (let first = true; ; first = false) {
      if (signal?.aborted) return ABORTED;
      if (!first || afterDrop) {
        if (this.options.now() - lastProgress > this.options.giveUpAfterMs) return { kind: "lost", error: lastError };
        const delay = this.options.backoff(attempt);
        attempt++;
        handlers.reconnecting?.(attempt, delay);
        try {
          await this.options.sleep(delay, signal);
        } catch {
          return ABORTED;
        }
        if (signal?.aborted) return ABORTED;
      }
      let response: Response;
      try {
        response = await this.api.runEvents(agentId, threadId, runId, cursor.lastEventId, signal);
      } catch (error) {
        if (signal?.aborted) return ABORTED;
        if (error instanceof ApiError) {
          if (error.code === "events_expired" || error.status === 410) return { kind: "expired" };
          const transient = error.status >= 500 || error.status === 429 || error.status === 408;
          if (!transient) return { kind: "refused", error };
        }
        lastError = error;
        continue;
      }
      const before = cursor.framesReceived;
      const end = await this.consume(response, cursor, handlers, signal);
      if (end) return end;
      if (cursor.framesReceived !== before) {
        // The connection was alive until now (a slow tool sends only heartbeats, for minutes maybe):
        // the give-up window and the backoff start again from this drop.
        attempt = 0;
        lastProgress = this.options.now();
      }
      lastError = new NetworkError("the stream ended before the run did");
    }
  }

  /** Reads one response's stream; returns the run's end, or null if the stream stopped first. */
  private async consume(
    response: Response,
    cursor: Cursor,
    handlers: RunHandlers,
    signal: AbortSignal | undefined,
  ): Promise<RunOutcome | null> {
    if (!response.body) return null;
    let end: RunOutcome | null = null;
    try {
      await readSse(response.body, (frame) => {
        cursor.framesReceived++;
        if (end || frame.id === undefined) return; // heartbeats carry no id
        const id = Number(frame.id);
        if (!Number.isFinite(id)) return;
        if (cursor.lastEventId !== undefined && id <= cursor.lastEventId) return;
        let event: ChatEvent;
        try {
          event = JSON.parse(frame.data) as ChatEvent;
        } catch {
          return;
        }
        cursor.lastEventId = id;
        if (event.type === "heartbeat") return;
        handlers.event(event, id);
        if (event.type === "done") end = { kind: "done", event };
        else if (event.type === "error") end = { kind: "error", event };
      });
    } catch {
      // A dropped connection; the caller re-joins.
    }
    if (!end && signal?.aborted) return ABORTED;
    return end;
  }
}

const ABORTED: RunOutcome = { kind: "aborted" };

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
