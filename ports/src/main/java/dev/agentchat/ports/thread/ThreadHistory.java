package dev.agentchat.ports.thread;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.thread.ChatThread;
import java.util.List;
import java.util.Objects;

/** A thread and its messages in order. */
public record ThreadHistory(ChatThread thread, List<Message> messages) {
    public ThreadHistory {
        Objects.requireNonNull(thread, "thread");
        messages = List.copyOf(messages);
    }
}
