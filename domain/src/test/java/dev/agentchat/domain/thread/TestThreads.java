package dev.agentchat.domain.thread;

import static dev.agentchat.domain.Times.T0;

import dev.agentchat.domain.agent.AgentId;
import java.time.Instant;

/** Builds chat threads for tests through {@link ChatThread#open}. */
public final class TestThreads {
    private TestThreads() {
    }

    public static Builder aThread() {
        return new Builder();
    }

    public static final class Builder {
        private ThreadId id = ThreadId.of("thread-1");
        private AgentId agentId = AgentId.of("helper");
        private UserId userId = UserId.of("user-1");
        private String firstMessage = "Hello there";
        private Instant openedAt = T0;

        private Builder() {
        }

        public Builder forAgent(String agentId) {
            this.agentId = AgentId.of(agentId);
            return this;
        }

        public Builder ownedBy(String userId) {
            this.userId = UserId.of(userId);
            return this;
        }

        public Builder openedWith(String firstMessage) {
            this.firstMessage = firstMessage;
            return this;
        }

        public Builder openedAt(Instant openedAt) {
            this.openedAt = openedAt;
            return this;
        }

        public ChatThread open() {
            return ChatThread.open(id, agentId, userId, firstMessage, openedAt);
        }
    }
}
