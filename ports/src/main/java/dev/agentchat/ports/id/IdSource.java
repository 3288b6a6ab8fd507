package dev.agentchat.ports.id;

import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import java.util.UUID;

/** Where the services get new ids, so that tests can predict them. */
public interface IdSource {
    ThreadId newThreadId();

    MessageId newMessageId();

    RunId newRunId();

    StepId newStepId();

    /** Random ids with a prefix that tells their kind, as in {@code run_3f2a...}. */
    static IdSource random() {
        return new IdSource() {
            @Override
            public ThreadId newThreadId() {
                return new ThreadId("thread_" + compactUuid());
            }

            @Override
            public MessageId newMessageId() {
                return new MessageId("msg_" + compactUuid());
            }

            @Override
            public RunId newRunId() {
                return new RunId("run_" + compactUuid());
            }

            @Override
            public StepId newStepId() {
                return new StepId("step_" + compactUuid());
            }

            private static String compactUuid() {
                return UUID.randomUUID().toString().replace("-", "");
            }
        };
    }
}
