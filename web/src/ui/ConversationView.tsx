import { useEffect, useState } from "preact/hooks";
import type { Conversation } from "../run/conversation";
import { Composer } from "./Composer";
import { Messages } from "./Messages";
import { Alert } from "./Notice";
import { ToolCalls } from "./ToolCalls";

export function ConversationView({ conversation, agentId }: { conversation: Conversation; agentId: string }) {
  const [state, setState] = useState(conversation.current);
  useEffect(() => {
    setState(conversation.current);
    return conversation.subscribe(() => setState(conversation.current));
  }, [conversation]);

  const streaming = state.liveRunId !== null;
  // On a narrow screen the tool calls are below the chat: say there that the answer waits for a decision, or
  // for the client app that asked to run its own tool.
  const liveCalls = state.runs.find((r) => r.runId === state.liveRunId)?.toolCalls ?? [];
  const waiting = liveCalls.some((c) => c.status === "awaiting_approval");
  const waitingForApp = !waiting && liveCalls.some((c) => c.status === "awaiting_result");
  return (
    <div class="conversation">
      <section class="chat" aria-label="Chat">
        <h2 class="thread-title">{state.title ?? (state.threadId ? "" : "New chat")}</h2>
        {state.threadStatus === "deleted" && (
          <p class="note">This conversation is deleted: it can be read but takes no new messages.</p>
        )}
        <Messages messages={state.messages} loading={state.loading} waiting={waiting} waitingForApp={waitingForApp} />
        {state.reconnecting && (
          <p class="note" role="status">
            Connection lost; reconnecting…
          </p>
        )}
        {waiting && (
          <p class="note" role="status">
            The answer waits for you to approve or deny a tool call, under Tool calls.
          </p>
        )}
        {waitingForApp && (
          <p class="note" role="status">
            The answer waits for the app that asked for it to run one of its tools, under Tool calls.
          </p>
        )}
        <Alert notice={state.notice} />
        <Composer
          agentId={agentId}
          threadId={state.threadId}
          streaming={streaming}
          disabled={state.threadStatus === "deleted"}
          onSend={(text, taken) => conversation.send(text, taken)}
          onStop={() => void conversation.stop()}
        />
      </section>
      <ToolCalls
        runs={state.runs}
        choices={state.choices}
        onDecide={(runId, stepId, approved) => void conversation.decide(runId, stepId, approved)}
      />
    </div>
  );
}
