package dev.agentchat.domain.refusal;

import dev.agentchat.domain.step.StepId;
import java.util.List;

/**
 * Decisions that do not answer the run's pause: every waiting call must be decided once, in one
 * request, and no other.
 *
 * @param missing    waiting calls the request left undecided
 * @param unknown    ids that name no call waiting in this run
 * @param duplicated ids decided more than once in the request
 * @param mismatched waiting calls answered as the other kind: an output for a call that waits for approval,
 *                   or an approval without the output for a call of one of the client's own tools
 */
public final class InvalidApprovals extends Refusal {
    private final List<StepId> missing;
    private final List<StepId> unknown;
    private final List<StepId> duplicated;
    private final List<StepId> mismatched;

    public InvalidApprovals(List<StepId> missing, List<StepId> unknown, List<StepId> duplicated) {
        this(missing, unknown, duplicated, List.of());
    }

    public InvalidApprovals(List<StepId> missing, List<StepId> unknown, List<StepId> duplicated,
                            List<StepId> mismatched) {
        super(Kind.UNPROCESSABLE, message(missing, unknown, duplicated, mismatched));
        this.missing = List.copyOf(missing);
        this.unknown = List.copyOf(unknown);
        this.duplicated = List.copyOf(duplicated);
        this.mismatched = List.copyOf(mismatched);
    }

    private static String message(List<StepId> missing, List<StepId> unknown, List<StepId> duplicated,
                                  List<StepId> mismatched) {
        StringBuilder text = new StringBuilder("Decide every waiting tool call of the run once, in one request.");
        if (!missing.isEmpty()) {
            text.append(" Undecided: ").append(String.join(", ", missing.stream().map(StepId::value).toList())).append('.');
        }
        if (!unknown.isEmpty()) {
            text.append(" Not waiting in this run: ").append(String.join(", ", unknown.stream().map(StepId::value).toList())).append('.');
        }
        if (!duplicated.isEmpty()) {
            text.append(" Decided twice: ").append(String.join(", ", duplicated.stream().map(StepId::value).toList())).append('.');
        }
        if (!mismatched.isEmpty()) {
            text.append(" Answered as the other kind of call (a call of the client's own tool is answered with what it"
                    + " gave, a call that waits for approval without): ")
                    .append(String.join(", ", mismatched.stream().map(StepId::value).toList())).append('.');
        }
        return text.toString();
    }

    public List<StepId> missing() {
        return missing;
    }

    public List<StepId> unknown() {
        return unknown;
    }

    public List<StepId> duplicated() {
        return duplicated;
    }

    public List<StepId> mismatched() {
        return mismatched;
    }
}
