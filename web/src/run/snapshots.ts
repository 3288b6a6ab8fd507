import type { ToolCallView } from "./views";

/**
 * What a page remembers of a run it was following when it goes away (reload, navigation), so the
 * next page re-joins after the last event it had and shows the same answer at once, instead of
 * replaying the run from the start. Kept in sessionStorage: one tab's, gone with the tab.
 */
export interface RunSnapshot {
  readonly runId: string;
  readonly agentId: string;
  readonly threadId: string;
  readonly lastEventId: number;
  readonly text: string;
  readonly toolCalls: readonly ToolCallView[];
}

const PREFIX = "agentchat.run.";

export function saveSnapshot(snapshot: RunSnapshot, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(PREFIX + snapshot.runId, JSON.stringify(snapshot));
  } catch {
    // Storage full or disabled: the next page replays the run from the start instead.
  }
}

export function loadSnapshot(runId: string, storage: Storage = sessionStorage): RunSnapshot | null {
  try {
    const raw = storage.getItem(PREFIX + runId);
    if (!raw) return null;
    const snapshot = JSON.parse(raw) as RunSnapshot;
    if (snapshot.runId !== runId || typeof snapshot.lastEventId !== "number" || typeof snapshot.text !== "string") {
      return null;
    }
    return snapshot;
  } catch {
    return null;
  }
}

export function forgetSnapshot(runId: string, storage: Storage = sessionStorage): void {
  try {
    storage.removeItem(PREFIX + runId);
  } catch {
    // Nothing to do.
  }
}
