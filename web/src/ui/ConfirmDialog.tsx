import { useEffect, useRef } from "preact/hooks";

interface Props {
  title: string;
  text: string;
  confirm: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal confirmation: a native modal dialog, so the rest of the page is inert and focus stays
 * inside; Escape cancels; focus returns to what opened it, while that is still on the page.
 */
export function ConfirmDialog({ title, text, confirm, onConfirm, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current!;
    if (typeof element.showModal === "function" && !element.open) element.showModal();
    else element.setAttribute("open", "");
    cancelButton.current?.focus();
    return () => {
      if (element.open && typeof element.close === "function") element.close();
      // An opener that is gone (its thread deleted) is left to the page to replace.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      role="dialog"
      aria-modal="true"
      aria-label={title}
      aria-describedby="confirm-text"
      class="confirm"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
        if (e.key === "Tab") {
          // Keeps Tab within the dialog's buttons.
          const buttons = [...dialog.current!.querySelectorAll<HTMLButtonElement>("button")];
          const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
          const next = e.shiftKey ? (index <= 0 ? buttons.length - 1 : index - 1) : (index + 1) % buttons.length;
          e.preventDefault();
          buttons[next]?.focus();
        }
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-text">{text}</p>
      <div class="dialog-actions">
        <button type="button" class="danger" onClick={onConfirm}>
          {confirm}
        </button>
        <button type="button" ref={cancelButton} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
