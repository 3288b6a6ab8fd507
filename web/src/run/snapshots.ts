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
/** The runs that have a snapshot, newest first. */
const INDEX = "agentchat.runs";
/**
 * Snapshots kept at most: a tab follows one run at a time, and a few cover going back and forth
 * between threads. Without a limit every run left unfinished would stay, and a full storage would
 * also stop drafts being kept.
 */
export const MAX_SNAPSHOTS = 5;

export function saveSnapshot(snapshot: RunSnapshot, storage: Storage = sessionStorage): void {
  try {
    const index = [snapshot.runId, ...readIndex(storage).filter((id) => id !== snapshot.runId)];
    for (const old of index.splice(MAX_SNAPSHOTS)) storage.removeItem(PREFIX + old);
    const value = JSON.stringify(snapshot);
    try {
      // The index grows too, so its write can be the one that finds the storage full.
      writeIndex(index, storage);
      storage.setItem(PREFIX + snapshot.runId, value);
    } catch {
      // Storage full: make room by dropping the older snapshots, then try once more.
      for (const old of index.splice(1)) storage.removeItem(PREFIX + old);
      writeIndex(index, storage);
      storage.setItem(PREFIX + snapshot.runId, value);
    }
  } catch {
    // Storage full or disabled: the next page replays the run from the start instead.
    forgetSnapshot(snapshot.runId, storage);
  }
}

/** Drops the snapshots of runs seen finished: there is nothing left to re-join. */
export function forgetSnapshots(runIds: readonly string[], storage: Storage = sessionStorage): void {
  try {
    const index = readIndex(storage);
    const gone = new Set(runIds.filter((id) => index.includes(id)));
    if (gone.size === 0) return;
    for (const id of gone) storage.removeItem(PREFIX + id);
    writeIndex(index.filter((id) => !gone.has(id)), storage);
  } catch {
    // Nothing to do.
  }
}

function readIndex(storage: Storage): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(INDEX) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

function writeIndex(index: readonly string[], storage: Storage): void {
  if (index.length === 0) storage.removeItem(INDEX);
  else storage.setItem(INDEX, JSON.stringify(index));
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
    const index = readIndex(storage);
    if (index.includes(runId)) writeIndex(index.filter((id) => id !== runId), storage);
  } catch {
    // Nothing to do.
  }
}
