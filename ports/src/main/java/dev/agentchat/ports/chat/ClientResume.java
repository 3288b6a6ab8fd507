package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.thread.ClientThreadKey;
import java.util.List;
import java.util.Objects;

/**
 * A client's answer to what the run of its thread waits on: a decision on each call that waits for approval,
 * and the result of each call of the client's own tools.
 *
 * @param key     the client's own name for the thread (see {@link ClientThreadKey})
 * @param answers one per waiting call, in any order
 */
public record ClientResume(AgentId agentId, UserId userId, ClientThreadKey key, List<ApprovalChoice> answers) {
    public ClientResume {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(key, "key");
        answers = List.copyOf(answers);
    }
}
