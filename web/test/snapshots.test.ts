import { beforeEach, describe, expect, it, vi } from "vitest";
import { Api } from "../src/api/client";
import { Conversation } from "../src/run/conversation";
import { RunFollower } from "../src/run/follower";
import { forgetSnapshots, loadSnapshot, MAX_SNAPSHOTS, saveSnapshot, type RunSnapshot } from "../src/run/snapshots";
import { loadDraft, saveDraft } from "../src/ui/drafts";

const snapshot = (runId: string, text = "Some words "): RunSnapshot =>
  ({ runId, agentId: "support", threadId: "thread_1", lastEventId: 3, text, toolCalls: [] });

/** A storage that refuses to hold more than `capacity` characters, as a browser's quota does. */
class SmallStorage implements Storage {
  private readonly items = new Map<string, string>();
  constructor(private readonly capacity: number) {}
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    let used = key.length + value.length;
    for (const [k, v] of this.items) if (k !== key) used += k.length + v.length;
    if (used > this.capacity) throw new DOMException("full", "QuotaExceededError");
    this.items.set(key, value);
  }
}

describe("run snapshots", () => {
  beforeEach(() => sessionStorage.clear());

  it("keeps only the newest few", () => {
    const ids = Array.from({ length: MAX_SNAPSHOTS + 2 }, (_, i) => `run_${i}`);
    ids.forEach((id) => saveSnapshot(snapshot(id)));
    expect(ids.filter((id) => loadSnapshot(id) !== null)).toEqual(ids.slice(2));
    // Saving an old run again makes it the newest.
    saveSnapshot(snapshot("run_2"));
    saveSnapshot(snapshot("run_new"));
    expect(loadSnapshot("run_2")).not.toBeNull();
    expect(loadSnapshot("run_3")).toBeNull();
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith("agentchat.run.")).length).toBe(MAX_SNAPSHOTS);
  });

  it("drops the snapshots of runs seen finished", () => {
    saveSnapshot(snapshot("run_a"));
    saveSnapshot(snapshot("run_b"));
    forgetSnapshots(["run_a", "run_unknown"]);
    expect(loadSnapshot("run_a")).toBeNull();
    expect(loadSnapshot("run_b")).not.toBeNull();
  });

  it("makes room in a full storage, and a snapshot that does not fit breaks nothing", () => {
    const storage = new SmallStorage(1_000);
    saveSnapshot(snapshot("run_a", "x".repeat(300)), storage);
    saveSnapshot(snapshot("run_b", "y".repeat(300)), storage);
    saveSnapshot(snapshot("run_c", "z".repeat(300)), storage);
    expect(loadSnapshot("run_c", storage)!.text).toBe("z".repeat(300));
    expect(() => saveSnapshot(snapshot("run_d", "w".repeat(5_000)), storage)).not.toThrow();
    expect(loadSnapshot("run_d", storage)).toBeNull();
    storage.setItem("agentchat.draft.support.new", "my draft");
    expect(storage.getItem("agentchat.draft.support.new")).toBe("my draft");
  });

  it("makes room when it is the longer list of snapshots that no longer fits", () => {
    const storage = new SmallStorage(1_000);
    saveSnapshot(snapshot("run_a", "x".repeat(300)), storage);
    // A draft takes all but a few characters: the next write that grows anything finds the storage full.
    let used = 0;
    for (let i = 0; i < storage.length; i++) used += storage.key(i)!.length + storage.getItem(storage.key(i)!)!.length;
    const draftKey = "agentchat.draft.support.new";
    storage.setItem(draftKey, "d".repeat(1_000 - used - draftKey.length - 3));

    saveSnapshot(snapshot("run_b", "y"), storage);

    expect(loadSnapshot("run_b", storage)!.text).toBe("y");
    expect(loadSnapshot("run_a", storage)).toBeNull();
    expect(storage.getItem(draftKey)).toHaveLength(1_000 - used - draftKey.length - 3);
  });

  it("leaves room for drafts however many runs were left unfinished", () => {
    vi.stubGlobal("sessionStorage", new SmallStorage(3_000));
    try {
      for (let i = 0; i < 20; i++) saveSnapshot(snapshot(`run_${i}`, "x".repeat(300)));
      saveDraft("support", null, "d".repeat(200));
      expect(loadDraft("support", null)).toBe("d".repeat(200));
      expect(loadSnapshot("run_19")).not.toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("Conversation and run snapshots", () => {
  beforeEach(() => {
    sessionStorage.clear();
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal("cancelAnimationFrame", (h: number) => clearTimeout(h));
    return () => vi.unstubAllGlobals();
  });

  it("drops the snapshot of a run the thread read shows finished", async () => {
    saveSnapshot(snapshot("run_1"));
    const finished = {
      id: "thread_1", agent_id: "support", user_id: "u", title: "T", status: "active", created_at: "t", updated_at: "t",
      active_run_id: null, messages: [],
      runs: [{ id: "run_1", thread_id: "thread_1", status: "completed", agent_id: "support", agent_version: 1, request_message_id: "m", created_at: "t", steps: [] }],
    };
    const api = new Api(async () => null, async () => Response.json(finished));
    const conversation = new Conversation(api, "support", { threadCreated() {}, threadsChanged() {} }, new RunFollower(api));
    conversation.open("thread_1");
    await vi.waitFor(() => expect(conversation.current.loading).toBe(false));
    expect(loadSnapshot("run_1")).toBeNull();
    conversation.dispose();
  });
});
