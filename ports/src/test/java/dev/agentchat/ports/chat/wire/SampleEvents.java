package dev.agentchat.ports.chat.wire;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples of every kind of chat event, for the tests that send each through a wire form and read it
 * back (the ports' tree, the HTTP stream's data, the event log's documents). The kinds are read from
 * {@link ChatEvent}'s sealed hierarchy, so a new event without a sample here fails those tests rather
 * than going untested. Timestamps are to the millisecond, the HTTP API's precision.
 */
public final class SampleEvents {
    private static final Instant AT = Instant.parse("2026-11-25T06:25:49.700Z");

    private static final List<ChatEvent> SAMPLES = List.of(
            new ChatEvent.Token("Hi \"there\"\n東京 😀 \\ \u0001", AT),
            new ChatEvent.Token("", AT.plusMillis(1)),
            new ChatEvent.TraceStart(StepId.of("step_1"), "calculator", "{\"expression\":\"2+2\"}", AT.plusMillis(2)),
            new ChatEvent.TraceUpdate(StepId.of("step_1"), "halfway", AT.plusMillis(3)),
            new ChatEvent.TraceEnd(StepId.of("step_1"), "completed", "4", null, 12, AT.plusMillis(4)),
            new ChatEvent.TraceEnd(StepId.of("step_2"), "failed", null, "division by zero", 0, AT.plusMillis(5)),
            new ChatEvent.ApprovalRequired(StepId.of("step_3"), "calculator", "{\"expression\":\"6*7\"}",
                    AT.plusSeconds(900), AT.plusMillis(8)),
            new ChatEvent.TraceEnd(StepId.of("step_3"), "denied", null,
                    "The user denied this tool call: not now. Do not call it again unless asked.", 0, AT.plusMillis(9)),
            new ChatEvent.TraceStart(StepId.of("step_4"), "get_location", "{}", AT.plusMillis(10)),
            new ChatEvent.ApprovalRequired(StepId.of("step_4"), "get_location", "{}", AT.plusSeconds(900),
                    AT.plusMillis(10), true),
            new ChatEvent.Done(RunId.of("run_1"), ThreadId.of("thread_1"), MessageId.of("msg_1"), 42, AT.plusMillis(6)),
            new ChatEvent.Error("The model failed.", "model_error", AT.plusMillis(7)));

    private SampleEvents() {
    }

    /**
     * At least one sample of every concrete kind of {@link ChatEvent}.
     *
     * @throws AssertionError naming a kind that has no sample here
     */
    public static List<ChatEvent> ofEveryKind() {
        for (Class<?> kind : kinds()) {
            if (SAMPLES.stream().noneMatch(sample -> sample.getClass() == kind)) {
                throw new AssertionError("SampleEvents has no sample of " + kind.getName()
                        + ": add one, so that its wire forms are tested");
            }
        }
        return SAMPLES;
    }

    /** The concrete kinds of chat event: the leaves of its sealed hierarchy, read by reflection. */
    public static List<Class<?>> kinds() {
        List<Class<?>> kinds = new ArrayList<>();
        addLeaves(ChatEvent.class, kinds);
        return kinds;
    }

    private static void addLeaves(Class<?> type, List<Class<?>> leaves) {
        if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                addLeaves(permitted, leaves);
            }
        } else {
            leaves.add(type);
        }
    }
}
