import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Api } from "../api/client";
import { describe } from "../api/problem";
import type { Thread } from "../api/types";
import { agentPath } from "../router";
import { ConfirmDialog } from "./ConfirmDialog";
import { formatWhen } from "./format";

const PAGE = 20;

interface Props {
  api: Api;
  agentId: string;
  currentThreadId: string | null;
  /** Changes whenever the list may have changed (a run ended, a thread was made). */
  version: number;
  navigate(path: string): void;
}

export function ThreadSidebar({ api, agentId, currentThreadId, version, navigate }: Props) {
  const [showDeleted, setShowDeleted] = useState(false);
  const [threads, setThreads] = useState<readonly Thread[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Thread | null>(null);
  const request = useRef(0);
  const newChat = useRef<HTMLButtonElement>(null);
  /** A thread was deleted: its button, which had the focus, is gone once the list is read again. */
  const [removed, setRemoved] = useState(0);

  const status = showDeleted ? "deleted" : "active";

  /**
   * Reads a page of threads and keeps it with `keep`; only the latest read counts, so a slow answer never
   * overwrites a newer one.
   */
  const read = useCallback(
    async (offset: number, limit: number, keep: (page: readonly Thread[]) => void) => {
      const mine = ++request.current;
      setLoading(true);
      try {
        const page = await api.listThreads(agentId, status, offset, limit);
        if (mine !== request.current) return;
        keep(page.threads);
        setTotal(page.total);
        setError(null);
      } catch (e) {
        if (mine === request.current) setError(describe(e));
      } finally {
        if (mine === request.current) setLoading(false);
      }
    },
    [api, agentId, status],
  );

  /** Reads the first `count` threads again (at least one page), so paging stays as far as it went. */
  const reload = useCallback(
    (count: number) => read(0, Math.min(100, Math.max(PAGE, count)), setThreads),
    [read],
  );

  const shown = useRef(0);
  shown.current = threads.length;

  useEffect(() => {
    void reload(shown.current);
  }, [reload, version]);

  useEffect(() => {
    setThreads([]);
    shown.current = 0;
  }, [agentId, status]);

  const more = () =>
    read(threads.length, PAGE, (page) =>
      setThreads((current) => {
        const known = new Set(current.map((t) => t.id));
        return [...current, ...page.filter((t) => !known.has(t.id))];
      }),
    );

  const remove = async (thread: Thread, hard: boolean) => {
    try {
      await api.deleteThread(agentId, thread.id, hard);
      setError(null);
      // A deleted thread takes no new messages: leave it for a new chat.
      if (thread.id === currentThreadId) navigate(agentPath(agentId));
    } catch (e) {
      setError(describe(e));
    }
    await reload(threads.length);
    setRemoved((n) => n + 1);
  };

  // Focus left on a button that is no longer there falls to the page's body, and a keyboard or
  // screen reader user would have to find their way back: it goes to New chat instead.
  useEffect(() => {
    if (removed === 0) return;
    const focused = document.activeElement;
    if (!focused || focused === document.body || !focused.isConnected) newChat.current?.focus();
  }, [removed]);

  return (
    <nav class="sidebar" aria-label="Threads">
      <div class="sidebar-head">
        <h2>Threads</h2>
        <button type="button" class="primary" ref={newChat} onClick={() => navigate(agentPath(agentId))}>
          New chat
        </button>
      </div>
      <label class="checkbox">
        <input type="checkbox" aria-label="Show deleted" checked={showDeleted} onChange={(e) => setShowDeleted(e.currentTarget.checked)} />
        Show deleted
      </label>
      {error && (
        <div class="notice error" role="alert">
          <span>{error}</span>
          <button type="button" onClick={() => void reload(threads.length)}>
            Retry
          </button>
        </div>
      )}
      <ul class="thread-list">
        {threads.map((thread) => (
          <li key={thread.id} class={thread.id === currentThreadId ? "current" : ""}>
            <a
              href={agentPath(agentId, thread.id)}
              aria-current={thread.id === currentThreadId ? "page" : undefined}
              onClick={(e) => {
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                e.preventDefault();
                navigate(agentPath(agentId, thread.id));
              }}
            >
              <span class="thread-name">{thread.title || "Untitled"}</span>
              <time dateTime={thread.updated_at}>{formatWhen(thread.updated_at)}</time>
            </a>
            {showDeleted ? (
              <button
                type="button"
                class="icon danger"
                aria-label={`Delete permanently ${thread.title}`}
                title="Delete permanently"
                onClick={() => setConfirming(thread)}
              >
                <Icon path="M6 6l12 12M18 6L6 18" />
              </button>
            ) : (
              <button
                type="button"
                class="icon"
                aria-label={`Delete thread ${thread.title}`}
                title="Delete"
                onClick={() => void remove(thread, false)}
              >
                <Icon path="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6" />
              </button>
            )}
          </li>
        ))}
      </ul>
      {!loading && threads.length === 0 && !error && (
        <p class="muted">{showDeleted ? "No deleted threads." : "No threads yet."}</p>
      )}
      {loading && <p class="muted">Loading…</p>}
      {threads.length < total && (
        <button type="button" class="more" onClick={() => void more()} disabled={loading}>
          More threads
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete permanently?"
          text={`“${confirming.title}” and all its messages and runs will be removed for good.`}
          confirm="Delete permanently"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const thread = confirming;
            setConfirming(null);
            void remove(thread, true);
          }}
        />
      )}
    </nav>
  );
}

function Icon({ path }: { path: string }) {
  return (
    <svg class="icon-svg" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={path} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
