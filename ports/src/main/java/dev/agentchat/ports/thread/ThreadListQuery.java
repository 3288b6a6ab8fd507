package dev.agentchat.ports.thread;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.store.PageRequest;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which threads to list.
 *
 * @param statuses the statuses to include; active only unless asked otherwise
 */
public record ThreadListQuery(AgentId agentId, UserId userId, Set<ThreadStatus> statuses, PageRequest page) {
    public ThreadListQuery {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
        statuses = Set.copyOf(statuses);
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("list at least one thread status");
        }
        Objects.requireNonNull(page, "page");
    }

    public static Set<ThreadStatus> activeOnly() {
        return EnumSet.of(ThreadStatus.ACTIVE);
    }
}
