package dev.agentchat.domain.thread;

/** What can happen to a thread in its life; {@link ThreadState#after} says where each move leads. */
public enum ThreadMove {
    /** A run starts in the thread, and holds it until it ends. */
    CLAIM,
    /** The thread's run ended: the thread is free for the next one. */
    RELEASE,
    /** The user deletes the thread softly: it is kept and readable, but takes nothing new. */
    DELETE
}
