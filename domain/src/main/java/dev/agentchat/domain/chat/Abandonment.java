package dev.agentchat.domain.chat;

import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Ending a run whose instance is gone (it crashed, or was killed): the run ends failed, or cancelled
 * if it was being cancelled; every step it left unfinished ends with it, since nobody will finish
 * them; and its followers are told, in events numbered past every id the instance may have sent.
 *
 * @param run        the ended run
 * @param endedSteps the steps it had left unfinished, now ended
 * @param events     what followers are told: a {@code trace_end} per ended step, then the run's {@code error}
 */
public record Abandonment(Run run, List<Step> endedSteps, List<RunEvent> events) {
    static final String STEP_ABANDONED = "The run stopped during this call (its instance was gone); its result is unknown.";

    public Abandonment {
        Objects.requireNonNull(run, "run");
        endedSteps = List.copyOf(endedSteps);
        events = List.copyOf(events);
    }

    /**
     * Ends {@code run}, abandoned with {@code steps}; {@code partialAnswer} is the message that keeps what
     * its log shows of its answer (null for none), {@code reservation} the ids its instance may have used.
     */
    public static Abandonment of(Run run, List<Step> steps, MessageId partialAnswer, EventIdReservation reservation,
                                 Instant now) {
        boolean cancelling = run.status() == RunStatus.CANCELLING;
        Transition<Run> end = run.abandon(partialAnswer, now);
        List<Step> ended = new ArrayList<>();
        List<ChatEvent> told = new ArrayList<>();
        for (Step step : steps) {
            if (step.status().isTerminal()) {
                continue;
            }
            Transition<Step> stepEnd = cancelling ? step.cancel(STEP_ABANDONED, now) : step.fail(STEP_ABANDONED, now);
            ended.add(stepEnd.state());
            told.addAll(stepEnd.events());
        }
        told.addAll(end.events());
        return new Abandonment(end.state(), ended, RunEvent.numberedAfter(reservation.firstUnused() - 1, told));
    }
}
