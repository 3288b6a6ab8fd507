package dev.agentchat.adapter.memory.store;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.store.StoreFailure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Stores that fail or dawdle on purpose, wrapped around working ones: for tests of what happens when
 * the store goes away or slows down mid-turn, which a real store does not do on request.
 */
public final class StoreFaults {
    private StoreFaults() {
    }

    /** Refuses to append the messages {@code refused} matches, with a {@link StoreFailure}. */
    public static MessageStore refusingAppends(MessageStore delegate, Predicate<Message> refused) {
        return new RefusingMessageStore(delegate, refused);
    }

    /** Refuses to create runs. */
    public static RunStore refusingRunCreates(RunStore delegate) {
        return new RefusingRunStore(delegate, true, false);
    }

    /** Creates runs but refuses every later update of one. */
    public static RunStore refusingRunUpdates(RunStore delegate) {
        return new RefusingRunStore(delegate, false, true);
    }

    /**
     * Keeps steps as {@code delegate} does, but runs {@code before} first on each step it is asked to create:
     * a store that takes its time (a test moves its clock there), or that watches what is written.
     */
    public static StepStore beforeStepCreates(StepStore delegate, Consumer<Step> before) {
        return new WatchedStepStore(delegate, before, step -> {
        });
    }

    /** Keeps steps as {@code delegate} does, but refuses the updates {@code refused} matches, with a {@link StoreFailure}. */
    public static StepStore refusingStepUpdates(StepStore delegate, Predicate<Step> refused) {
        return new WatchedStepStore(delegate, step -> {
        }, step -> {
            if (refused.test(step)) {
                throw refusal();
            }
        });
    }

    private static StoreFailure refusal() {
        return new StoreFailure("the store refused the write (injected fault)");
    }

    private record RefusingMessageStore(MessageStore delegate, Predicate<Message> refused) implements MessageStore {
        @Override
        public void append(Message message) {
            if (refused.test(message)) {
                throw refusal();
            }
            delegate.append(message);
        }

        @Override
        public List<Message> listByThread(ThreadId threadId) {
            return delegate.listByThread(threadId);
        }

        @Override
        public int deleteByThread(ThreadId threadId) {
            return delegate.deleteByThread(threadId);
        }
    }

    private record RefusingRunStore(RunStore delegate, boolean creates, boolean updates) implements RunStore {
        @Override
        public void create(Run run) {
            if (creates) {
                throw refusal();
            }
            delegate.create(run);
        }

        @Override
        public void update(Run run) {
            if (updates) {
                throw refusal();
            }
            delegate.update(run);
        }

        @Override
        public Optional<Run> find(ThreadId threadId, RunId runId) {
            return delegate.find(threadId, runId);
        }

        @Override
        public List<Run> listByThread(ThreadId threadId) {
            return delegate.listByThread(threadId);
        }

        @Override
        public List<Run> listUnfinished(Instant createdBefore, int limit) {
            return delegate.listUnfinished(createdBefore, limit);
        }

        @Override
        public List<Run> listAwaitingApproval(Instant expiredBy, int limit) {
            return delegate.listAwaitingApproval(expiredBy, limit);
        }

        @Override
        public int deleteByThread(ThreadId threadId) {
            return delegate.deleteByThread(threadId);
        }
    }

    private record WatchedStepStore(StepStore delegate, Consumer<Step> beforeCreate, Consumer<Step> beforeUpdate)
            implements StepStore {
        @Override
        public void create(Step step) {
            beforeCreate.accept(step);
            delegate.create(step);
        }

        @Override
        public void update(Step step) {
            beforeUpdate.accept(step);
            delegate.update(step);
        }

        @Override
        public List<Step> listByRun(ThreadId threadId, RunId runId) {
            return delegate.listByRun(threadId, runId);
        }

        @Override
        public List<Step> listByThread(ThreadId threadId) {
            return delegate.listByThread(threadId);
        }

        @Override
        public int deleteByThread(ThreadId threadId) {
            return delegate.deleteByThread(threadId);
        }
    }
}
