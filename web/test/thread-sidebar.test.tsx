import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Api } from "../src/api/client";
import { ThreadSidebar } from "../src/ui/ThreadSidebar";

const thread = (id: string, title: string) =>
  ({ id, agent_id: "support", user_id: "u", title, status: "deleted", created_at: "t", updated_at: "2026-01-01T00:00:00Z" });

describe("ThreadSidebar", () => {
  const root = document.createElement("div");
  document.body.appendChild(root);
  afterEach(() => render(null, root));

  function button(name: string): HTMLButtonElement {
    const found = [...root.querySelectorAll<HTMLButtonElement>("button")]
      .find((b) => (b.getAttribute("aria-label") ?? b.textContent!.trim()) === name);
    if (!found) throw new Error(`no button ${name}`);
    return found;
  }

  it("moves the focus to New chat after a permanent delete, instead of leaving it on the page's body", async () => {
    let threads = [thread("t1", "First"), thread("t2", "Second")];
    const api = new Api(async () => null, async (url: string, init?: RequestInit) => {
      if (init?.method === "DELETE") {
        threads = threads.filter((t) => !url.includes(`/threads/${t.id}?`));
        return new Response(null, { status: 204 });
      }
      return Response.json({ threads, total: threads.length, limit: 20, offset: 0 });
    });
    render(<ThreadSidebar api={api} agentId="support" currentThreadId={null} version={0} navigate={() => {}} />, root);
    root.querySelector<HTMLInputElement>('input[aria-label="Show deleted"]')!.click();
    await vi.waitFor(() => button("Delete permanently First"));
    const opener = button("Delete permanently First");
    opener.focus();
    opener.click();
    await vi.waitFor(() => expect(root.querySelector('[role="dialog"]')).not.toBeNull());
    button("Delete permanently").click();
    await vi.waitFor(() => expect(root.textContent).not.toContain("First"));
    await vi.waitFor(() => expect(document.activeElement).toBe(button("New chat")));
  });
});
