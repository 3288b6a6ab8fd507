import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { MessageView } from "../src/run/views";
import { Messages } from "../src/ui/Messages";

const question: MessageView = { key: "u1", id: "msg_1", role: "user", content: "Hi", status: "complete", runId: "run_1" };
const answer = (status: MessageView["status"]): MessageView =>
  ({ key: "a1", id: undefined, role: "assistant", content: "Hello there", status, runId: "run_1" });

describe("Messages", () => {
  const root = document.createElement("div");
  afterEach(() => render(null, root));

  it("keeps the log polite and marks the answer busy while it streams, so it is announced once it is done", () => {
    render(<Messages messages={[question, answer("streaming")]} loading={false} />, root);
    const log = root.querySelector('[role="log"]')!;
    expect(log.getAttribute("aria-live")).toBe("polite");
    const streaming = root.querySelector('article[data-role="assistant"]')!;
    expect(streaming.getAttribute("data-status")).toBe("streaming");
    expect(streaming.getAttribute("aria-busy")).toBe("true");
    expect(root.querySelector('article[data-role="user"]')!.hasAttribute("aria-busy")).toBe(false);

    render(<Messages messages={[question, answer("complete")]} loading={false} />, root);
    const done = root.querySelector('article[data-role="assistant"]')!;
    expect(done.getAttribute("data-status")).toBe("complete");
    expect(done.getAttribute("aria-busy")).not.toBe("true");
  });

  it("says the open answer waits for approval while a tool call waits, keeping it the open answer", () => {
    render(<Messages messages={[question, answer("streaming")]} loading={false} waiting={true} />, root);
    const waiting = root.querySelector('article[data-role="assistant"]')!;
    expect(waiting.getAttribute("data-status")).toBe("streaming");
    expect(waiting.querySelector(".badge")!.textContent).toBe("Waiting for approval");

    render(<Messages messages={[question, answer("streaming")]} loading={false} />, root);
    expect(root.querySelector('article[data-role="assistant"] .badge')!.textContent).toBe("Answering…");
  });

  it("says the open answer waits for the app while a call of the app's own tool waits", () => {
    render(<Messages messages={[question, answer("streaming")]} loading={false} waitingForApp={true} />, root);
    const waiting = root.querySelector('article[data-role="assistant"]')!;
    expect(waiting.getAttribute("data-status")).toBe("streaming");
    expect(waiting.querySelector(".badge")!.textContent).toBe("Waiting for the app");

    render(<Messages messages={[question, answer("complete")]} loading={false} waitingForApp={true} />, root);
    expect(root.querySelector('article[data-role="assistant"] .badge')).toBeNull();
  });
});
