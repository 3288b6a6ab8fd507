package dev.agentchat.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.ports.store.RecordConflict;

/** The optimistic concurrency rule of the stores: a record is replaced only over the revision before it. */
final class Revisions {
    private Revisions() {
    }

    static void requireNext(String what, JsonNode stored, long next) {
        long current = stored.get("revision").asLong();
        if (current != next - 1) {
            throw new RecordConflict(what + " changed meanwhile (revision " + current + ", not " + (next - 1) + ")");
        }
    }
}
