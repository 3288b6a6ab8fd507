import type { Api } from "../api/client";
import { ApiError, describe, describeStreamError } from "../api/problem";
import { ACTIVE_RUN_STATUSES, type ChatEvent, type ThreadWithMessages } from "../api/types";
import { RunFollower, type RunHandlers, type RunOutcome } from "./follower";
import { forgetSnapshot, forgetSnapshots, loadSnapshot, saveSnapshot } from "./snapshots";
import {
  answerKey,
  applyApprovalRequired,
  applyTrace,
  isWaiting,
  messageViews,
  runView,
  type MessageView,
  type RunView,
  type ToolCallView,
} from "./views";

export interface Notice {
  readonly text: string;
  /** Present where trying again makes sense. */
  readonly retry: (() => void) | null;
  /** A note rather than a failure (shown the same way, worded so). */
  readonly kind: "error" | "note";
}

export interface ConversationState {
  readonly threadId: string | null;
  readonly title: string | null;
  readonly threadStatus: "active" | "deleted" | null;
  readonly loading: boolean;
  readonly messages: readonly MessageView[];
  readonly runs: readonly RunView[];
  /** The run being followed now, if any. */
  readonly liveRunId: string | null;
  readonly reconnecting: boolean;
  readonly notice: Notice | null;
  /** The choices made on tool calls waiting for approval, by step id, until each call moves on. */
  readonly choices: ReadonlyMap<string, Choice>;
}

/** Approve or Deny pressed on a waiting tool call; `sent` once it is on its way to the service. */
export interface Choice {
  readonly approved: boolean;
  readonly sent: boolean;
}

const EMPTY: ConversationState = {
  threadId: null,
  title: null,
  threadStatus: null,
  loading: false,
  messages: [],
  runs: [],
  liveRunId: null,
  reconnecting: false,
  notice: null,
  choices: new Map(),
};

interface LiveRun {
  runId: string;
  threadId: string;
  text: string;
  lastEventId: number | undefined;
  toolCalls: ToolCallView[];
  abort: AbortController;
}

export interface ConversationEvents {
  /** A first message made a thread: the page's address should name it. */
  threadCreated(threadId: string): void;
  /** A run ended or a thread changed: the thread list may have a new title or order. */
  threadsChanged(): void;
}

/**
 * One agent's conversation as the page shows it: the open thread's history, the run being
 * followed and its tool calls, and what went wrong in words. The view subscribes; changes are
 * announced at most once per animation frame, since tokens can arrive far faster than that.
 */
export class Conversation {
  private state: ConversationState = EMPTY;
  private live: LiveRun | null = null;
  /** A message being sent: set from Send until its run has ended, so no second follower starts meanwhile. */
  private sending: AbortController | null = null;
  /** That send, to its very end. */
  private sent: Promise<void> | null = null;
  /** Whether the run being sent has ended and only the thread is being read again. */
  private finishing = false;
  private loadAbort: AbortController | null = null;
  private readonly listeners = new Set<() => void>();
  private frame: number | null = null;
  private readonly follower: RunFollower;

  constructor(
    private readonly api: Api,
    private readonly agentId: string,
    private readonly events: ConversationEvents,
    follower?: RunFollower,
  ) {
    this.follower = follower ?? new RunFollower(api);
  }

  get current(): ConversationState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Shows a thread (null: a new chat). The run this page was following is left running. */
  open(threadId: string | null): void {
    if (threadId !== null && threadId === this.state.threadId) return;
    this.leaveLiveRun();
    this.loadAbort?.abort();
    this.state = { ...EMPTY, threadId, loading: threadId !== null };
    this.announce(true);
    if (threadId) void this.load(threadId, true);
  }

  /** Remembers the run being followed, for the next page after a reload. */
  rememberLiveRun(): void {
    const live = this.live;
    if (!live || live.lastEventId === undefined) return;
    saveSnapshot({
      runId: live.runId,
      agentId: this.agentId,
      threadId: live.threadId,
      lastEventId: live.lastEventId,
      text: live.text,
      toolCalls: live.toolCalls,
    });
  }

  dispose(): void {
    this.leaveLiveRun();
    this.loadAbort?.abort();
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.listeners.clear();
  }

  /**
   * Sends a message and follows its answer. `taken` is called once the service took the message (the
   * box can be emptied); it is not called when the message was refused, nor when the thread was busy
   * answering another message (that answer is followed instead and the message stays in the box).
   */
  async send(text: string, taken: () => void = () => {}): Promise<void> {
    if (this.live) return;
    if (this.sending) {
      // The answer has ended and the thread is being read again: the message goes once that is done, rather than
      // being ignored in a moment when the page already shows the answer as finished.
      if (!this.finishing || !this.sent) return;
      await this.sent;
      if (this.live || this.sending) return;
    }
    const abort = new AbortController();
    this.sending = abort;
    const sent = (async () => {
      try {
        await this.sendAndFollow(text, taken, abort);
      } finally {
        if (this.sending === abort) this.sending = null;
      }
    })();
    this.sent = sent;
    await sent;
  }

  private async sendAndFollow(text: string, taken: () => void, abort: AbortController): Promise<void> {
    const threadId = this.state.threadId;
    const userKey = `pending-user-${Date.now()}`;
    this.update({
      notice: null,
      messages: [...this.state.messages, { key: userKey, id: undefined, role: "user", content: text, status: "complete", runId: undefined }],
    });
    let busy = false;
    const handlers = this.liveHandlers(abort, (_runId, newThreadId) => {
      if (busy) return;
      if (!threadId && newThreadId) {
        this.update({ threadId: newThreadId, threadStatus: "active", title: text.slice(0, 80) });
        this.events.threadCreated(newThreadId);
      }
      taken();
    });
    const busyNote: Notice = {
      text: "This conversation is still answering an earlier message, shown here. Your message is still in the box; send it when the answer is done.",
      retry: null,
      kind: "note",
    };
    handlers.busy = () => {
      busy = true;
      this.update({ notice: busyNote, messages: this.state.messages.filter((m) => m.key !== userKey) });
    };
    const resend = () => void this.send(text, taken);
    try {
      const result = await this.follower.send(this.agentId, threadId, text, handlers, abort.signal);
      await this.finishRun(result.outcome, result.followedBusyRun ? busyNote : null, resend);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.live = null;
      this.update({
        liveRunId: null,
        reconnecting: false,
        messages: this.state.messages.filter((m) => m.key !== userKey && m.status !== "streaming"),
        notice: { text: describe(error), retry: retryable(error) ? resend : null, kind: "error" },
      });
    }
  }

  /** Asks the service to stop the run; the stream then ends with a `cancelled` error. */
  async stop(): Promise<void> {
    const live = this.live;
    if (!live) return;
    try {
      await this.api.cancelRun(this.agentId, live.threadId, live.runId);
    } catch (error) {
      this.update({ notice: { text: describe(error), retry: () => void this.stop(), kind: "error" } });
    }
  }

  /**
   * Approves or denies a tool call the run waits on. A round of one call is decided at once; with several,
   * each choice is kept (and may be changed) until every call has one, and then all go in one request, as
   * the service takes them. The stream stays open meanwhile: the run goes on in it, and Stop still cancels.
   * A call of the client app's own tool waits for that app, not for a choice here: it may be denied (and is
   * then decided with the others), never approved, as only the app can run it.
   */
  async decide(runId: string, stepId: string, approved: boolean): Promise<void> {
    const threadId = this.live?.runId === runId ? this.live.threadId : this.state.threadId;
    const call = this.callsOf(runId).find((c) => c.stepId === stepId);
    if (!threadId || !call || !isWaiting(call) || this.state.choices.get(stepId)?.sent) return;
    if (call.status === "awaiting_result" && approved) return;
    const choices = new Map(this.state.choices);
    choices.set(stepId, { approved, sent: false });
    this.update({ choices });
    const waiting = this.waitingCalls(runId, choices);
    if (waiting.every((id) => choices.has(id))) await this.sendDecisions(threadId, runId, waiting);
  }

  private async sendDecisions(threadId: string, runId: string, stepIds: readonly string[]): Promise<void> {
    const decisions = stepIds.flatMap((id) => {
      const choice = this.state.choices.get(id);
      return choice ? [{ step_id: id, approved: choice.approved }] : [];
    });
    if (decisions.length !== stepIds.length) return;
    this.update({ notice: null, choices: withChoices(this.state.choices, stepIds, (c) => ({ ...c, sent: true })) });
    try {
      await this.api.decideApprovals(this.agentId, threadId, runId, decisions);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        // Decided elsewhere (another tab, another person), expired or stopped: the stored run says which.
        this.update({
          choices: withChoices(this.state.choices, stepIds, () => null),
          notice: { text: describe(error), retry: null, kind: "note" },
        });
        await this.readRunAgain(threadId, runId);
        return;
      }
      if (error instanceof ApiError && error.code === "invalid_approvals") {
        // The run waits on calls this page did not show: read them, keeping the choices made.
        this.update({
          choices: withChoices(this.state.choices, stepIds, (c) => ({ ...c, sent: false })),
          notice: { text: describe(error), retry: null, kind: "error" },
        });
        await this.readRunAgain(threadId, runId);
        return;
      }
      this.update({
        choices: withChoices(this.state.choices, stepIds, (c) => ({ ...c, sent: false })),
        notice: {
          text: describe(error),
          retry: retryable(error) ? () => void this.sendDecisions(threadId, runId, stepIds) : null,
          kind: "error",
        },
      });
      return;
    }
    // Nothing on this page follows the run (its stream was lost): follow it again to see it go on.
    if (this.live?.runId !== runId && !this.sending && threadId === this.state.threadId) await this.load(threadId, true);
  }

  /**
   * The tool calls of the run that wait for a decision here, in order: those that wait for a person, and those
   * of the client app's tools that were denied here (the others wait for the app).
   */
  private waitingCalls(runId: string, choices: ReadonlyMap<string, Choice> = this.state.choices): string[] {
    return this.callsOf(runId)
      .filter((c) => c.status === "awaiting_approval" || (c.status === "awaiting_result" && choices.has(c.stepId)))
      .map((c) => c.stepId);
  }

  private callsOf(runId: string): readonly ToolCallView[] {
    return this.live?.runId === runId
      ? this.live.toolCalls
      : (this.state.runs.find((r) => r.runId === runId)?.toolCalls ?? []);
  }

  /** Reads the thread again and takes the run's tool calls as stored, over what the stream has shown so far. */
  private async readRunAgain(threadId: string, runId: string): Promise<void> {
    const thread = await this.load(threadId, false);
    const stored = thread?.runs.find((r) => r.id === runId);
    const live = this.live;
    if (!stored || !live || live.runId !== runId) return;
    live.toolCalls = runView(stored, 0).toolCalls.map((c) => ({ ...c }));
    this.update({ runs: mergeLiveRun(this.state.runs, live) });
  }

  /** Reads the thread again; the stored record is what a finished run left. */
  private async load(threadId: string, joinActiveRun: boolean): Promise<ThreadWithMessages | null> {
    const abort = new AbortController();
    this.loadAbort = abort;
    let thread: ThreadWithMessages;
    try {
      thread = await this.api.readThread(this.agentId, threadId, abort.signal);
    } catch (error) {
      if (abort.signal.aborted) return null;
      this.update({
        loading: false,
        notice: {
          text: describe(error),
          retry: retryable(error) ? () => void this.load(threadId, joinActiveRun) : null,
          kind: "error",
        },
      });
      return null;
    }
    if (abort.signal.aborted || this.state.threadId !== threadId) return null;
    forgetSnapshots(thread.runs.filter((r) => !ACTIVE_RUN_STATUSES.has(r.status)).map((r) => r.id));
    const runs = thread.runs.map((r, i) => runView(r, i + 1));
    const activeRun =
      thread.active_run_id ?? [...thread.runs].reverse().find((r) => ACTIVE_RUN_STATUSES.has(r.status))?.id ?? null;
    this.update({
      loading: false,
      title: thread.title,
      threadStatus: thread.status,
      messages: messageViews(thread),
      runs: this.live ? mergeLiveRun(runs, this.live) : runs,
    });
    // A message being sent follows its own run (or the one the thread is busy with): one follower at a time.
    if (joinActiveRun && activeRun && !this.live && !this.sending) void this.rejoin(threadId, activeRun);
    return thread;
  }

  /** Follows a run that was already going when the thread was opened (a reload, another tab). */
  private async rejoin(threadId: string, runId: string): Promise<void> {
    const snapshot = loadSnapshot(runId);
    const abort = new AbortController();
    // Without a snapshot the run is replayed from its start; its stored tool calls show meanwhile, so a call
    // waiting for approval has its buttons at once.
    const stored = this.state.runs.find((r) => r.runId === runId)?.toolCalls ?? [];
    const handlers = this.liveHandlers(abort, () => {}, snapshot
      ? { text: snapshot.text, lastEventId: snapshot.lastEventId, toolCalls: [...snapshot.toolCalls] }
      : { text: "", lastEventId: undefined, toolCalls: [...stored] });
    handlers.started?.(runId, threadId);
    const outcome = await this.follower.follow(this.agentId, threadId, runId, snapshot?.lastEventId, handlers, abort.signal);
    // A run that failed has finished: following it again would only show the same failure, so trying
    // again sends its question anew.
    const question = () => this.state.messages.find((m) => m.role === "user" && m.runId === runId)?.content;
    const askAgain = question() !== undefined ? () => void this.send(question() ?? "") : null;
    await this.finishRun(outcome, null, askAgain);
  }

  private liveHandlers(
    abort: AbortController,
    onStart: (runId: string, threadId: string) => void,
    from?: { text: string; lastEventId: number | undefined; toolCalls: ToolCallView[] },
  ): RunHandlers {
    return {
      started: (runId, threadId) => {
        this.live = {
          runId,
          threadId,
          text: from?.text ?? "",
          lastEventId: from?.lastEventId,
          toolCalls: from?.toolCalls ?? [],
          abort,
        };
        forgetSnapshot(runId);
        this.update({
          liveRunId: runId,
          messages: [
            ...this.state.messages,
            { key: answerKey(runId), id: undefined, role: "assistant", content: this.live.text, status: "streaming", runId },
          ],
          runs: mergeLiveRun(this.state.runs, this.live),
        });
        onStart(runId, threadId);
      },
      event: (event, id) => this.onEvent(event, id),
      reconnecting: () => this.update({ reconnecting: true }),
    };
  }

  private onEvent(event: ChatEvent, id: number): void {
    const live = this.live;
    if (!live) return;
    live.lastEventId = id;
    switch (event.type) {
      case "token":
        live.text += event.content;
        this.updateLiveAnswer({ content: live.text });
        break;
      case "trace_start":
      case "trace_update":
      case "trace_end":
        live.toolCalls = applyTrace(live.toolCalls, event);
        this.update({
          runs: mergeLiveRun(this.state.runs, live),
          reconnecting: false,
          choices: withChoices(this.state.choices, [event.step_id], () => null),
        });
        break;
      case "approval_required":
        live.toolCalls = applyApprovalRequired(live.toolCalls, event);
        this.update({ runs: mergeLiveRun(this.state.runs, live), reconnecting: false });
        break;
      case "done":
        this.updateLiveAnswer({ id: event.message_id, status: "complete" });
        break;
      case "error":
        this.updateLiveAnswer({ status: event.code === "cancelled" ? "cancelled" : "failed" });
        break;
      default:
        break;
    }
  }

  private updateLiveAnswer(change: Partial<MessageView>, runId = this.live?.runId): void {
    const liveKey = runId ? answerKey(runId) : null;
    this.update({
      reconnecting: false,
      messages: this.state.messages.map((m) => (m.key === liveKey ? { ...m, ...change } : m)),
    });
  }

  private async finishRun(outcome: RunOutcome, note: Notice | null, resend: (() => void) | null): Promise<void> {
    const live = this.live;
    if (outcome.kind === "aborted") return;
    this.live = null;
    if (live && (outcome.kind === "lost" || outcome.kind === "refused")) {
      // Keep what was streamed on screen and in storage: trying again re-joins after the last event.
      this.live = live;
      this.rememberLiveRun();
      this.live = null;
      const rejoin = () => {
        this.update({ notice: null, messages: this.state.messages.filter((m) => m.key !== answerKey(live.runId)) });
        void this.rejoin(live.threadId, live.runId);
      };
      const text = outcome.kind === "lost"
        ? "The connection to the service was lost while the answer was coming in."
        : describe(outcome.error);
      this.updateLiveAnswer({ status: "incomplete" }, live.runId);
      this.update({ liveRunId: null, reconnecting: false, notice: { text, retry: rejoin, kind: "error" } });
      return;
    }
    if (live) forgetSnapshot(live.runId);
    let notice: Notice | null = note;
    if (outcome.kind === "error" && outcome.event.code !== "cancelled") {
      notice = { text: describeStreamError(outcome.event.code, outcome.event.message), retry: resend, kind: "error" };
    } else if (outcome.kind === "expired") {
      notice = note;
    }
    this.update({ liveRunId: null, reconnecting: false, notice, choices: new Map() });
    const threadId = live?.threadId ?? this.state.threadId;
    if (threadId && threadId === this.state.threadId) {
      // The stored record has the answer's id and status, and the run's model calls and cost.
      this.finishing = true;
      try {
        await this.load(threadId, false);
      } finally {
        this.finishing = false;
      }
    }
    this.events.threadsChanged();
  }

  private leaveLiveRun(): void {
    // A message still on its way belongs to the thread being left: its run goes on without this page.
    this.sending?.abort();
    this.sending = null;
    if (!this.live) return;
    this.rememberLiveRun();
    this.live.abort.abort();
    this.live = null;
  }

  private update(change: Partial<ConversationState>): void {
    this.state = { ...this.state, ...change };
    this.announce(false);
  }

  private announce(now: boolean): void {
    if (now) {
      if (this.frame !== null) cancelAnimationFrame(this.frame);
      this.frame = null;
      this.listeners.forEach((l) => l());
      return;
    }
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.listeners.forEach((l) => l());
    });
  }
}

function mergeLiveRun(runs: readonly RunView[], live: LiveRun): RunView[] {
  const status = live.toolCalls.some(isWaiting) ? "requires_action" : "in_progress";
  const index = runs.findIndex((r) => r.runId === live.runId);
  if (index >= 0) {
    const copy = [...runs];
    copy[index] = { ...runs[index]!, status, toolCalls: live.toolCalls };
    return copy;
  }
  return [
    ...runs,
    { runId: live.runId, number: runs.length + 1, status, toolCalls: live.toolCalls, modelCalls: [], costUsd: null },
  ];
}

/** The choices with those of `stepIds` changed (null: forgotten); the same map when nothing changes. */
function withChoices(
  choices: ReadonlyMap<string, Choice>,
  stepIds: readonly string[],
  change: (choice: Choice) => Choice | null,
): ReadonlyMap<string, Choice> {
  if (!stepIds.some((id) => choices.has(id))) return choices;
  const changed = new Map(choices);
  for (const id of stepIds) {
    const choice = changed.get(id);
    if (!choice) continue;
    const next = change(choice);
    if (next) changed.set(id, next);
    else changed.delete(id);
  }
  return changed;
}

function retryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status >= 500 || error.status === 429 || error.status === 409 || error.status === 408;
}
