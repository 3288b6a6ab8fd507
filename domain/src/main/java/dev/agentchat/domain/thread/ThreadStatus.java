package dev.agentchat.domain.thread;

/** Whether a thread is in use or was soft-deleted (kept, but hidden from ordinary listings). */
public enum ThreadStatus {
    ACTIVE,
    DELETED
}
