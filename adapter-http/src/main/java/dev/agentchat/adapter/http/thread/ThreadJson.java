package dev.agentchat.adapter.http.thread;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentchat.adapter.http.Timestamps;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.thread.ChatThread;
import java.io.IOException;
import java.util.Locale;

/** Threads and messages as the API's JSON. */
final class ThreadJson {
    private ThreadJson() {
    }

    /** Writes the thread's members into the object being written. */
    static void writeThreadMembers(ChatThread thread, JsonGenerator json) throws IOException {
        json.writeStringField("id", thread.id().value());
        json.writeStringField("agent_id", thread.agentId().value());
        json.writeStringField("user_id", thread.userId().value());
        json.writeStringField("title", thread.title());
        json.writeStringField("status", lower(thread.status()));
        json.writeStringField("created_at", Timestamps.format(thread.createdAt()));
        json.writeStringField("updated_at", Timestamps.format(thread.updatedAt()));
    }

    static void writeMessage(Message message, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", message.id().value());
        json.writeStringField("role", lower(message.role()));
        json.writeStringField("content", message.content());
        json.writeStringField("status", lower(message.status()));
        json.writeStringField("run_id", message.runId().value());
        json.writeStringField("created_at", Timestamps.format(message.createdAt()));
        json.writeEndObject();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
