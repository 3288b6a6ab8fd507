package dev.agentchat.ports.store;

/** A write that would create a record that exists already, or change one that is not there. */
public final class RecordConflict extends RuntimeException {
    public RecordConflict(String message) {
        super(message);
    }
}
