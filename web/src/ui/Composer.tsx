import { useEffect, useRef, useState } from "preact/hooks";
import { loadDraft, saveDraft } from "./drafts";

interface Props {
  agentId: string;
  threadId: string | null;
  streaming: boolean;
  disabled: boolean;
  onSend(text: string, taken: () => void): Promise<void>;
  onStop(): void;
}

export function Composer({ agentId, threadId, streaming, disabled, onSend, onStop }: Props) {
  const [text, setText] = useState(() => loadDraft(agentId, threadId));
  const box = useRef<HTMLTextAreaElement>(null);
  const sending = useRef(false);

  useEffect(() => {
    setText(loadDraft(agentId, threadId));
  }, [agentId, threadId]);

  const change = (value: string) => {
    setText(value);
    saveDraft(agentId, threadId, value);
  };

  const send = () => {
    const message = text.trim();
    if (!message || streaming || disabled || sending.current) return;
    sending.current = true;
    const draftThread = threadId;
    void onSend(message, () => {
      saveDraft(agentId, draftThread, "");
      setText((current) => (current.trim() === message ? "" : current));
    }).finally(() => {
      sending.current = false;
    });
    box.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for="message-box" class="visually-hidden">
        Message
      </label>
      <textarea
        id="message-box"
        aria-label="Message"
        ref={box}
        rows={3}
        value={text}
        placeholder={disabled ? "This conversation takes no new messages." : "Type a message. Enter sends, Shift+Enter adds a line."}
        disabled={disabled}
        onInput={(e) => change(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div class="composer-actions">
        {streaming && (
          <button type="button" class="stop" onClick={onStop}>
            Stop
          </button>
        )}
        <button type="submit" class="primary" disabled={streaming || disabled || text.trim() === ""}>
          Send
        </button>
      </div>
    </form>
  );
}
