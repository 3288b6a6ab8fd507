package dev.agentchat.adapter.http.thread;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentchat.adapter.http.Timestamps;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.usage.Usage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** Threads and messages as the API's JSON. */
public final class ThreadJson {
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
        writeNullableString(json, "active_run_id", thread.activeRunId() == null ? null : thread.activeRunId().value());
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

    /** A run with its timings, usage, cost, failure and steps. */
    public static void writeRun(Run run, List<Step> steps, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", run.id().value());
        json.writeStringField("thread_id", run.threadId().value());
        json.writeStringField("status", lower(run.status()));
        json.writeStringField("agent_id", run.agentId().value());
        json.writeNumberField("agent_version", run.agentVersion());
        json.writeStringField("request_message_id", run.requestMessageId().value());
        writeNullableString(json, "answer_message_id", run.answerMessageId() == null ? null : run.answerMessageId().value());
        json.writeStringField("created_at", Timestamps.format(run.createdAt()));
        writeNullableString(json, "started_at", run.startedAt() == null ? null : Timestamps.format(run.startedAt()));
        writeNullableString(json, "ended_at", run.endedAt() == null ? null : Timestamps.format(run.endedAt()));
        if (run.duration().isPresent()) {
            json.writeNumberField("duration_ms", run.duration().get().toMillis());
        } else {
            json.writeNullField("duration_ms");
        }
        writeUsage(run.usage(), json);
        if (run.failure() == null) {
            json.writeNullField("error");
        } else {
            json.writeObjectFieldStart("error");
            json.writeStringField("code", run.failure().code());
            json.writeStringField("message", run.failure().message());
            json.writeEndObject();
        }
        json.writeArrayFieldStart("steps");
        for (Step step : steps) {
            writeStep(step, json);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeStep(Step step, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", step.id().value());
        json.writeStringField("type", lower(step.kind()));
        json.writeNumberField("round", step.round());
        json.writeStringField("status", lower(step.status()));
        if (step.kind() == StepKind.TOOL_CALL) {
            json.writeStringField("tool", step.toolName());
            json.writeStringField("call_id", step.callId());
            json.writeStringField("arguments", step.arguments());
            writeNullableString(json, "output", step.output());
        } else {
            json.writeStringField("model", step.name());
            writeUsage(step.usage(), json);
        }
        writeNullableString(json, "error", step.error());
        json.writeStringField("started_at", Timestamps.format(step.startedAt()));
        writeNullableString(json, "ended_at", step.endedAt() == null ? null : Timestamps.format(step.endedAt()));
        json.writeNumberField("latency_ms", step.latency().toMillis());
        json.writeEndObject();
    }

    /** Token counts and cost; the cost is null when the model has no price. */
    private static void writeUsage(Usage usage, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("usage");
        json.writeNumberField("prompt_tokens", usage.promptTokens());
        json.writeNumberField("completion_tokens", usage.completionTokens());
        json.writeNumberField("total_tokens", usage.totalTokens());
        json.writeBooleanField("estimated", usage.estimated());
        json.writeEndObject();
        if (usage.cost().isKnown()) {
            json.writeNumberField("cost_usd", usage.cost().usd());
        } else {
            json.writeNullField("cost_usd");
        }
    }

    private static void writeNullableString(JsonGenerator json, String name, String value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, value);
        }
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
