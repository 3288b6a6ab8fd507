package dev.agentchat.bootstrap;

import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;

/**
 * A moment of a run at which its process is killed, with the model's script that makes the run wait
 * there: the test kills the process once its client has seen the moment come.
 */
enum CrashMoment {
    /** The run is stored and its stream open, but the model has not answered yet. */
    BEFORE_FIRST_TOKEN("before the first token"),
    /** Some tokens reached the event log, later ones only the client. */
    MID_STREAM("mid-stream"),
    /** A tool call has started (its step is stored) and does not return. */
    DURING_TOOL_CALL("during a tool call"),
    /** The run waits for a person to approve ops-assistant's calculator: stored, with nothing running. */
    AWAITING_APPROVAL("while it waits for approval"),
    /**
     * Chat after chat, each run streams {@link #SLOW_ANSWER_WORDS} words {@link #SLOW_ANSWER_PACE} apart: a
     * process serving many chats at once is mid-stream in most of them whenever it is killed or stopped.
     */
    STREAMING_SLOWLY("while streaming many answers");

    /**
     * How often the process that is killed writes a run's events to the log: long, so that the client
     * has seen events the log never got when the kill comes.
     */
    static final Duration EVENT_FLUSH = Duration.ofSeconds(2);
    /** The tokens a client reads mid-stream before the kill; the first {@link #TOKENS_LOGGED} of them reach the log. */
    static final int TOKENS_SEEN = 5;
    static final int TOKENS_LOGGED = 2;

    static final int SLOW_ANSWER_WORDS = 40;
    static final Duration SLOW_ANSWER_PACE = Duration.ofMillis(100);
    /** More chats than a test sends to one process. */
    private static final int SLOW_ANSWERS = 300;

    final String description;

    CrashMoment(String description) {
        this.description = description;
    }

    /** Queues the model's replies that hold a run at this moment until the process is killed. */
    void script(ScriptedChatModel model) {
        switch (this) {
            case BEFORE_FIRST_TOKEN -> model.reply(Reply.builder().pause(Duration.ofMinutes(5)).text("Too late.")
                    .finish(FinishReason.STOP).build());
            case MID_STREAM -> {
                Reply.Builder reply = Reply.builder();
                for (int word = 1; word <= TOKENS_SEEN; word++) {
                    reply.text("w" + word + " ");
                    if (word == TOKENS_LOGGED) {
                        // Past the first flush: the words so far are in the log, the next ones will not be.
                        reply.pause(EVENT_FLUSH.plusSeconds(1));
                    }
                }
                model.reply(reply.hang().build());
            }
            case DURING_TOOL_CALL -> model
                    .reply(Reply.builder().toolCall("call_1", CrashableService.BLOCKING_TOOL, "{\"query\":\"restore\"}")
                            .usage(Usage.reported(40, 5)).finish(FinishReason.TOOL_CALLS).build())
                    .reply(Reply.text("Never reached."));
            case AWAITING_APPROVAL -> model
                    .reply(Reply.builder().toolCall("call_1", "calculator", "{\"expression\":\"12 * 7\"}")
                            .usage(Usage.reported(40, 5)).finish(FinishReason.TOOL_CALLS).build())
                    .reply(Reply.text("Never reached: the process is gone before anyone decides."));
            case STREAMING_SLOWLY -> {
                for (int answer = 0; answer < SLOW_ANSWERS; answer++) {
                    model.reply(slowAnswer());
                }
            }
        }
    }

    /** The whole text every run of {@link #STREAMING_SLOWLY} answers. */
    static String slowAnswerText() {
        StringBuilder text = new StringBuilder();
        for (int word = 1; word <= SLOW_ANSWER_WORDS; word++) {
            text.append("w").append(word).append(' ');
        }
        return text.toString();
    }

    private static Reply slowAnswer() {
        Reply.Builder reply = Reply.builder();
        for (int word = 1; word <= SLOW_ANSWER_WORDS; word++) {
            reply.pause(SLOW_ANSWER_PACE).text("w" + word + " ");
        }
        return reply.usage(Usage.reported(20, SLOW_ANSWER_WORDS)).finish(FinishReason.STOP).build();
    }
}
