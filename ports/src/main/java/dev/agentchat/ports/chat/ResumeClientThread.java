package dev.agentchat.ports.chat;

/**
 * Use case: a client of a protocol that ends its run at a pause (AG-UI) answers what the run of its thread
 * waits on, in a new request, and watches the run go on.
 */
public interface ResumeClientThread {

    /**
     * Answers every call the waiting run of the client's thread waits on, resumes the run here, and passes its
     * events after the pause to {@code sink} until its end or its next pause; how it ended, or that it waits again.
     * Refusals are thrown before anything is sent or stored: the thread or a waiting run missing, answers that
     * leave a waiting call out or name none, and the refusals of {@link DecideApprovals#decideApprovals}.
     */
    ChatOutcome resume(ClientResume resume, ChatEventSink sink);
}
