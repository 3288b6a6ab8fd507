import { useEffect, useRef } from "preact/hooks";
import type { MessageView } from "../run/views";
import { MarkdownBody } from "./MarkdownBody";

const STATUS_WORDS: Partial<Record<MessageView["status"], string>> = {
  streaming: "Answering…",
  incomplete: "Incomplete",
  cancelled: "Stopped",
  failed: "Failed",
};

/**
 * The conversation's messages. {@code waiting}: the answer being written waits for a person to decide a tool
 * call, so it says so rather than that it is being answered (it is still the open answer: its status stays);
 * {@code waitingForApp}: it waits for the client app that asked to run one of its own tools.
 */
export function Messages({ messages, loading, waiting = false, waitingForApp = false }: {
  messages: readonly MessageView[];
  loading: boolean;
  waiting?: boolean;
  waitingForApp?: boolean;
}) {
  const log = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // Follows the answer as it grows, unless the reader scrolled up to read something earlier. The
  // scroll waits for the animation frame in which the answer's new text is painted (that frame was
  // asked for first, so it runs first): the page is then laid out once per frame, not twice.
  useEffect(() => {
    if (!pinned.current) return;
    const frame = requestAnimationFrame(() => {
      const element = log.current;
      if (element && pinned.current) element.scrollTop = element.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  });

  return (
    <div
      class="messages"
      role="log"
      aria-live="polite"
      aria-label="Conversation"
      aria-busy={loading ? "true" : "false"}
      tabIndex={0}
      ref={log}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {loading && <p class="muted">Loading the conversation…</p>}
      {!loading && messages.length === 0 && <p class="muted empty">Ask the agent something to start.</p>}
      {messages.map((m) => (
        <article
          key={m.key}
          class={`message ${m.role}`}
          data-role={m.role}
          data-status={m.status}
          {...(m.id ? { "data-message-id": m.id } : {})}
          aria-label={m.role === "user" ? "You" : "Agent"}
          // The answer's text is replaced as it grows: a screen reader announces it once, when it is done,
          // instead of reading the growing paragraph again on every frame.
          {...(m.status === "streaming" ? { "aria-busy": "true" } : {})}
        >
          <header class="message-author">
            {m.role === "user" ? "You" : "Agent"}
            {STATUS_WORDS[m.status] && (
              <span class={`badge ${m.status}`}>
                {m.status !== "streaming"
                  ? STATUS_WORDS[m.status]
                  : waiting ? "Waiting for approval" : waitingForApp ? "Waiting for the app" : STATUS_WORDS[m.status]}
              </span>
            )}
          </header>
          {m.role === "assistant" ? (
            <MarkdownBody text={m.content} streaming={m.status === "streaming"} />
          ) : (
            <div class="message-body plain">{m.content}</div>
          )}
        </article>
      ))}
    </div>
  );
}
