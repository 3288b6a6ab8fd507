package dev.agentchat.domain.step;

import static dev.agentchat.domain.Times.T0;

import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;

/** Builds tool-call steps for tests through {@link Step#begin}. */
public final class TestSteps {
    private TestSteps() {
    }

    public static Builder aStep() {
        return new Builder();
    }

    public static final class Builder {
        private StepId id = StepId.of("step-1");
        private String tool = "get_weather";
        private String arguments = "{\"city\":\"Oslo\"}";
        private Instant startedAt = T0;

        private Builder() {
        }

        public Builder withId(String id) {
            this.id = StepId.of(id);
            return this;
        }

        public Builder callingTool(String tool, String arguments) {
            this.tool = tool;
            this.arguments = arguments;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Transition<Step> begin() {
            return Step.begin(id, RunId.of("run-1"), ThreadId.of("thread-1"), "call_1", tool, arguments, startedAt);
        }

        public Step running() {
            return begin().state();
        }
    }
}
