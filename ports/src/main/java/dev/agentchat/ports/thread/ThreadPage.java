package dev.agentchat.ports.thread;

import dev.agentchat.domain.thread.ChatThread;
import java.util.List;

/** One page of a thread listing and the number of threads in the whole listing. */
public record ThreadPage(List<ChatThread> threads, long total, int limit, int offset) {
    public ThreadPage {
        threads = List.copyOf(threads);
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative");
        }
    }
}
