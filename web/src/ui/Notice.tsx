import type { Notice as NoticeValue } from "../run/conversation";

export function Alert({ notice }: { notice: NoticeValue | null }) {
  if (!notice) return null;
  return (
    <div class={`notice ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
      <span>{notice.text}</span>
      {notice.retry && (
        <button type="button" onClick={notice.retry}>
          Retry
        </button>
      )}
    </div>
  );
}
