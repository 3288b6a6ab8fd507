package dev.agentchat.adapter.http.problem;

/** Ends a request with a problem answer; thrown by request checks, caught by the routing's error handler. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
