package dev.agentchat.adapter.http.agui;

import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run's chat events as AG-UI 1.0 events, for one stream. AG-UI clients verify the order: a text
 * message is started before its content and ended before a tool call's or the run's end, and nothing
 * follows {@code RUN_FINISHED} or {@code RUN_ERROR}. So the translation keeps which text message is
 * open. Each frame is a map of its members in order, without nulls (a {@code null} where AG-UI allows a
 * member to be absent fails the client's schema check) and with an integer timestamp in epoch
 * milliseconds (a fraction is fatal to it too).
 */
public final class AgUiEvents {
    private final String threadKey;
    private final String clientRunId;
    private final RunId runId;
    private final ThreadId threadId;
    /** The steps whose call the client was told of already (announced at an approval, then started). */
    private final Set<String> announcedCalls = new HashSet<>();
    /** The calls of the client's own tools that it answered: it has their results, and is not told them again. */
    private final Set<String> answeredByClient;
    /** The text message being streamed, or null between stretches of text. */
    private String openText;
    /** The last text message of the run, the parent of the calls that follow it. */
    private String lastText;
    private boolean ended;

    /**
     * @param threadKey   the client's name for the thread, echoed as {@code threadId}
     * @param clientRunId the client's name for the run, echoed as {@code runId}
     * @param runId       this service's run
     * @param threadId    this service's thread
     */
    public AgUiEvents(String threadKey, String clientRunId, RunId runId, ThreadId threadId) {
        this(threadKey, clientRunId, runId, threadId, Set.of(), Set.of());
    }

    /**
     * The events of a run resumed after its pause, for the client that answered it.
     *
     * @param knownCalls       the calls the run waited on: the client was told of them before the pause, and AG-UI
     *                         resumes a call with its result alone, never with its start again
     * @param answeredByClient those of them that called the client's own tools: the client gave their results
     */
    public AgUiEvents(String threadKey, String clientRunId, RunId runId, ThreadId threadId, Set<String> knownCalls,
                      Set<String> answeredByClient) {
        this.threadKey = Objects.requireNonNull(threadKey, "threadKey");
        this.clientRunId = Objects.requireNonNull(clientRunId, "clientRunId");
        this.runId = Objects.requireNonNull(runId, "runId");
        this.threadId = Objects.requireNonNull(threadId, "threadId");
        this.announcedCalls.addAll(knownCalls);
        this.answeredByClient = Set.copyOf(answeredByClient);
    }

    /** The first event: the client's names for thread and run, and this service's ids as metadata. */
    public Map<String, Object> runStarted(Instant at) {
        return frame("RUN_STARTED", at, "threadId", threadKey, "runId", clientRunId, "metadata",
                members("agentchat_thread_id", threadId.value(), "agentchat_run_id", runId.value()));
    }

    /**
     * The AG-UI events that say what {@code event} says, in order; none once the run has ended. A text message
     * is named by the run and the id of its first token's event: the same name in a stream read again, and
     * another in each stream of a run that paused and went on, whose client keeps the messages of both.
     */
    public List<Map<String, Object>> translate(RunEvent logged) {
        List<Map<String, Object>> frames = new ArrayList<>(3);
        if (ended) {
            return frames;
        }
        switch (logged.event()) {
            case ChatEvent.Token token -> {
                if (openText == null) {
                    openText = runId.value() + "-text-" + logged.sequence();
                    lastText = openText;
                    frames.add(frame("TEXT_MESSAGE_START", token.timestamp(), "messageId", openText, "role", "assistant"));
                }
                frames.add(frame("TEXT_MESSAGE_CONTENT", token.timestamp(), "messageId", openText, "delta", token.content()));
            }
            // A call the client was told of already is not started twice: the client would add it twice.
            case ChatEvent.TraceStart start -> announceOnce(start.stepId().value(), start.tool(), start.arguments(),
                    start.timestamp(), frames);
            // Progress has no AG-UI event of its own that clients show; it stays in this service's own stream.
            case ChatEvent.TraceUpdate update -> {
            }
            case ChatEvent.TraceEnd end -> {
                if (!answeredByClient.contains(end.stepId().value())) {
                    frames.add(frame("TOOL_CALL_RESULT", end.timestamp(), "messageId", resultMessageId(end.stepId().value()),
                            "toolCallId", end.stepId().value(), "content", resultOf(end), "role", "tool"));
                }
            }
            // The run waits: the client learns of the call now (a call of its own tool was started already), and
            // of the pause itself from the RUN_FINISHED that ends the stream (see interrupted).
            case ChatEvent.ApprovalRequired approval -> announceOnce(approval.stepId().value(), approval.tool(),
                    approval.arguments(), approval.timestamp(), frames);
            case ChatEvent.Done done -> {
                endText(done.timestamp(), frames);
                frames.add(frame("RUN_FINISHED", done.timestamp(), "threadId", threadKey, "runId", clientRunId,
                        "outcome", members("type", "success")));
                ended = true;
            }
            case ChatEvent.Error error -> {
                endText(error.timestamp(), frames);
                frames.add(runError(error.message(), error.code(), error.timestamp()));
                ended = true;
            }
        }
        return frames;
    }

    /**
     * The last event of a stream whose run paused, {@code pending} being the calls it waits on:
     * {@code RUN_FINISHED} with an {@code interrupt} outcome, an interrupt per call that waits for approval,
     * answered in the client's next request with {@code resume}. Calls of the client's own tools are no
     * interrupts: the client answers them with {@code tool} messages, as AG-UI's frontend tools are answered,
     * and when nothing else waits the run finished as a {@code success} naming them in {@code pendingToolCallIds}.
     * When both kinds wait the outcome is {@code interrupt}: AG-UI's success outcome may not carry interrupts,
     * and its interrupt outcome has no {@code pendingToolCallIds}; the client's calls were started and not
     * answered in the stream, which is how AG-UI clients find their frontend calls.
     */
    public List<Map<String, Object>> interrupted(List<PendingCall> pending, Instant expiresAt, Instant at) {
        return interrupted(pending.stream().map(call -> new Waiting(call.stepId().value(), call.tool(), call.arguments(),
                call.clientSide(), expiresAt)).toList(), at);
    }

    /**
     * The same last event, for a stream read again: the pause's calls as its {@code approval_required} events
     * told them ({@code round}, the events of one pause).
     */
    public List<Map<String, Object>> interruptedAfter(List<ChatEvent.ApprovalRequired> round, Instant at) {
        return interrupted(round.stream().map(asked -> new Waiting(asked.stepId().value(), asked.tool(),
                asked.arguments(), asked.clientSide(), asked.expiresAt())).toList(), at);
    }

    private List<Map<String, Object>> interrupted(List<Waiting> pending, Instant at) {
        List<Map<String, Object>> frames = new ArrayList<>(2);
        if (ended) {
            return frames;
        }
        endText(at, frames);
        List<Map<String, Object>> interrupts = pending.stream().filter(call -> !call.clientSide())
                .map(call -> members("id", call.stepId(), "reason", "tool_call", "message",
                        "The agent asks to call " + call.tool() + " with " + call.arguments() + "; approve or deny it.",
                        "toolCallId", call.stepId(), "expiresAt", call.expiresAt().toString()))
                .toList();
        Map<String, Object> outcome = interrupts.isEmpty()
                ? members("type", "success", "pendingToolCallIds", pending.stream().map(Waiting::stepId).toList())
                : members("type", "interrupt", "interrupts", interrupts);
        frames.add(frame("RUN_FINISHED", at, "threadId", threadKey, "runId", clientRunId, "outcome", outcome));
        ended = true;
        return frames;
    }

    /**
     * The last event of a stream that stops before its run's end or pause: {@code RUN_ERROR} with {@code code},
     * after closing the open text, since AG-UI clients take a stream that just closes for a run that succeeded.
     */
    public List<Map<String, Object>> cutShort(String message, String code, Instant at) {
        List<Map<String, Object>> frames = new ArrayList<>(2);
        if (ended) {
            return frames;
        }
        endText(at, frames);
        frames.add(runError(message, code, at));
        ended = true;
        return frames;
    }

    /** A call the run waits on, as an interrupt or a pending call of the client's tool tells it. */
    private record Waiting(String stepId, String tool, String arguments, boolean clientSide, Instant expiresAt) {
    }

    /**
     * The id of the message {@code TOOL_CALL_RESULT} gives the result of the call {@code callId}: the client keeps it
     * under that id, and sends it back with the rest of its copy of the conversation.
     */
    static String resultMessageId(String callId) {
        return callId + "-result";
    }

    /** Whether the run's last event ({@code RUN_FINISHED} or {@code RUN_ERROR}) was translated. */
    public boolean ended() {
        return ended;
    }

    private void announceOnce(String stepId, String tool, String arguments, Instant at, List<Map<String, Object>> frames) {
        if (announcedCalls.add(stepId)) {
            announceCall(stepId, tool, arguments, at, frames);
        }
    }

    /** {@code RUN_ERROR}: how a run that failed ends, and how a request refused before its run is answered. */
    static Map<String, Object> runError(String message, String code, Instant at) {
        return frame("RUN_ERROR", at, "message", message, "code", code);
    }

    /** A whole tool call at once: this service learns a call's arguments whole, never in pieces. */
    private void announceCall(String stepId, String tool, String arguments, Instant at, List<Map<String, Object>> frames) {
        endText(at, frames);
        frames.add(frame("TOOL_CALL_START", at, "toolCallId", stepId, "toolCallName", tool, "parentMessageId", lastText));
        frames.add(frame("TOOL_CALL_ARGS", at, "toolCallId", stepId, "delta", arguments));
        frames.add(frame("TOOL_CALL_END", at, "toolCallId", stepId));
    }

    private void endText(Instant at, List<Map<String, Object>> frames) {
        if (openText != null) {
            frames.add(frame("TEXT_MESSAGE_END", at, "messageId", openText));
            openText = null;
        }
    }

    /** What the model is told the call gave: its output, or why there is none. */
    private static String resultOf(ChatEvent.TraceEnd end) {
        if (end.output() != null && end.error() == null) {
            return end.output();
        }
        return "Error: " + (end.error() != null ? end.error() : "the call was " + end.status());
    }

    private static Map<String, Object> frame(String type, Instant at, Object... namesAndValues) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", type);
        frame.putAll(members(namesAndValues));
        frame.put("timestamp", at.toEpochMilli());
        return frame;
    }

    /** The members whose value is not null, in order. */
    private static Map<String, Object> members(Object... namesAndValues) {
        Map<String, Object> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                members.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return members;
    }
}
