import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Conversation, ConversationState } from "../src/run/conversation";
import type { RunView, ToolCallView } from "../src/run/views";
import { ConversationView } from "../src/ui/ConversationView";

function call(stepId: string, status: ToolCallView["status"]): ToolCallView {
  return { stepId, tool: "confirm_booking", arguments: "{}", progress: [], status };
}

/** A conversation following run_1, whose tool calls are `calls`, as the view reads it. */
function following(...calls: ToolCallView[]): Conversation {
  const run: RunView = { runId: "run_1", number: 1, status: "requires_action", toolCalls: calls, modelCalls: [], costUsd: null };
  const current: ConversationState = {
    threadId: "thread_1", title: "Booking", threadStatus: "active", loading: false, liveRunId: "run_1", reconnecting: false,
    notice: null, choices: new Map(), runs: [run],
    messages: [{ key: "answer-run_1", id: undefined, role: "assistant", content: "", status: "streaming", runId: "run_1" }],
  };
  return { current, subscribe: () => () => {} } as unknown as Conversation;
}

describe("ConversationView while a tool call waits", () => {
  const root = document.createElement("div");
  document.body.appendChild(root);
  afterEach(() => render(null, root));

  const notes = () => [...root.querySelectorAll('p.note[role="status"]')].map((p) => p.textContent!.trim());
  const badge = () => root.querySelector('article[data-role="assistant"] .badge')!.textContent;

  it("says the answer waits for the app when only a call of the app's own tool waits", () => {
    render(<ConversationView conversation={following(call("step_1", "awaiting_result"))} agentId="travel" />, root);

    expect(notes()).toEqual(["The answer waits for the app that asked for it to run one of its tools, under Tool calls."]);
    expect(badge()).toBe("Waiting for the app");
  });

  it("asks for a decision first when a call that waits for a person is in the same round", () => {
    render(<ConversationView conversation={following(call("step_1", "awaiting_result"), call("step_2", "awaiting_approval"))}
      agentId="travel" />, root);

    expect(notes()).toEqual(["The answer waits for you to approve or deny a tool call, under Tool calls."]);
    expect(badge()).toBe("Waiting for approval");
  });
});
