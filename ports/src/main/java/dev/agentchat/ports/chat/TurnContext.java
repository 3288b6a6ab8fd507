package dev.agentchat.ports.chat;

import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.thread.ThreadStore;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;

/** What every chat turn works with: the outbound ports and the settings. */
record TurnContext(ChatModel model, ToolRuntime tools, ThreadStore threads, MessageStore messages, RunStore runs,
                   StepStore steps,
                   Clock clock, IdSource ids, ChatSettings settings) {
}
