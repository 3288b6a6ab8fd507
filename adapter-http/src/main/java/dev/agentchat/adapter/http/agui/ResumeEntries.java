package dev.agentchat.adapter.http.agui;

import static dev.agentchat.adapter.http.agui.RunAgentInput.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.agui.RunAgentInput.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code resume} member of an AG-UI input: the client's decisions on the interrupts its thread's run
 * paused at, each {@code {interruptId, status, payload}} with the interrupt's id being the call's step id.
 * {@code resolved} needs {@code payload.approved}: a call that waits for a person runs only when the person
 * said yes, so a resolution that does not say which is refused rather than read either way.
 * {@code payload.editedArgs} replaces the call's arguments whole; {@code payload.reason} is kept with the
 * decision and told to the model on a denial. {@code cancelled} denies the call.
 */
final class ResumeEntries {
    private ResumeEntries() {
    }

    /** The answers the entries give; none when {@code resume} is absent, null or empty. */
    static List<Answer> from(JsonNode resume) {
        if (resume == null || resume.isNull()) {
            return List.of();
        }
        if (!resume.isArray()) {
            throw invalid("'resume' must be an array of resume entries.");
        }
        List<Answer> answers = new ArrayList<>(resume.size());
        for (int i = 0; i < resume.size(); i++) {
            answers.add(answer(resume.get(i), "resume[" + i + "]"));
        }
        return answers;
    }

    private static Answer answer(JsonNode entry, String at) {
        if (!entry.isObject()) {
            throw invalid("'" + at + "' must be an object with 'interruptId' and 'status'.");
        }
        JsonNode id = entry.get("interruptId");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw invalid("'" + at + ".interruptId' must name an interrupt of the run.");
        }
        JsonNode payload = entry.get("payload");
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            throw invalid("'" + at + ".payload' must be an object.");
        }
        Optional<String> reason = reason(payload, at);
        String status = entry.path("status").isTextual() ? entry.get("status").asText() : "";
        return switch (status) {
            case "cancelled" -> new Answer(id.asText(), false, reason, Optional.empty(), Optional.empty());
            case "resolved" -> resolved(id.asText(), payload, reason, at);
            default -> throw invalid("'" + at + ".status' must be \"resolved\" or \"cancelled\".");
        };
    }

    private static Answer resolved(String id, JsonNode payload, Optional<String> reason, String at) {
        JsonNode approved = payload == null ? null : payload.get("approved");
        if (approved == null || !approved.isBoolean()) {
            throw invalid("'" + at + ".payload.approved' must be true or false: a resolved interrupt says whether "
                    + "the call is approved.");
        }
        JsonNode edited = payload.get("editedArgs");
        Optional<String> arguments = Optional.empty();
        if (edited != null && !edited.isNull()) {
            if (!edited.isObject()) {
                throw invalid("'" + at + ".payload.editedArgs' must be an object: the call's arguments, whole.");
            }
            if (!approved.asBoolean()) {
                throw invalid("'" + at + ".payload.editedArgs' goes with an approved call only: a denied call does not run.");
            }
            arguments = Optional.of(edited.toString());
        }
        return new Answer(id, approved.asBoolean(), reason, arguments, Optional.empty());
    }

    private static Optional<String> reason(JsonNode payload, String at) {
        JsonNode reason = payload == null ? null : payload.get("reason");
        if (reason == null || reason.isNull()) {
            return Optional.empty();
        }
        if (!reason.isTextual()) {
            throw invalid("'" + at + ".payload.reason' must be a string.");
        }
        return Optional.of(reason.asText()).filter(text -> !text.isBlank());
    }
}
