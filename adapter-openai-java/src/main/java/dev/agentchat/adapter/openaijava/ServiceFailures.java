package dev.agentchat.adapter.openaijava;

import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelServiceFailures;
import dev.agentchat.ports.chat.ModelServiceFailures.ServiceError;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The only place where what the SDK and OkHttp throw becomes a {@link ModelFailure}. Which failure each is,
 * and its words, are {@link ModelServiceFailures}'s, as for every model adapter.
 */
final class ServiceFailures {
    private final ModelServiceFailures failures;

    ServiceFailures(OpenAiJavaSettings settings) {
        this.failures = new ModelServiceFailures(settings.endpoint(), settings.apiKey());
    }

    /** The request was refused (after any retries), or the service could not be reached or did not answer. */
    ModelFailure beforeAnswer(RuntimeException thrown) {
        return switch (thrown) {
            case ModelFailure failure -> failure;
            case SseException event -> midAnswer(event);
            case OpenAIServiceException refused -> failures.refused(refused.statusCode(), said(refused.body()),
                    refused.headers().values("Retry-After").stream().findFirst(), refused);
            case OpenAIIoException io when timedOut(io) -> failures.tooSlow(io);
            case OpenAIIoException io -> failures.unreachable(io.getCause());
            default -> failures.unreachable(thrown);
        };
    }

    /** The answer had begun: the connection broke off or went silent, a chunk was no chunk, or the service sent an error event. */
    ModelFailure midAnswer(RuntimeException thrown) {
        return switch (thrown) {
            case ModelFailure failure -> failure;
            case SseException event -> failures.inAnswer(said(event.body()), event);
            case OpenAIIoException io when timedOut(io) -> failures.wentSilent(io);
            case OpenAIIoException io -> failures.brokeOff(io.getCause());
            default -> notAChunk(thrown);
        };
    }

    /** The body ended before the answer was finished (no finish reason). */
    ModelFailure endedEarly() {
        return failures.endedEarly();
    }

    /** A chunk that is not a chat completion; the SDK's words (which quote it) go to the detail only. */
    ModelFailure notAChunk(Throwable cause) {
        return failures.notAChunk(cause == null ? "null" : failures.describe(cause), cause);
    }

    private static boolean timedOut(OpenAIIoException io) {
        // SocketTimeoutException is an InterruptedIOException; OkHttp's call timeout throws one too.
        return io.getCause() instanceof InterruptedIOException && !"Canceled".equals(io.getCause().getMessage());
    }

    /**
     * What the service said: its error object's {@code code}, {@code innererror.code} and {@code message}, as
     * the SDK holds them.
     */
    private static ServiceError said(JsonValue error) {
        Map<String, JsonValue> fields = objectOf(error);
        if (fields.isEmpty()) {
            return new ServiceError(null, null, text(error));
        }
        return new ServiceError(text(fields.get("code")), text(objectOf(fields.get("innererror")).get("code")),
                text(fields.get("message")));
    }

    /** JsonValue extends the raw JsonField: read through a wildcard, its accessors keep their types. */
    private static Map<String, JsonValue> objectOf(JsonValue value) {
        JsonField<?> field = value;
        return field == null ? Map.of() : field.asObject().orElse(Map.of());
    }

    private static String text(JsonValue value) {
        JsonField<?> field = value;
        if (field == null) {
            return null;
        }
        Optional<String> text = field.asString();
        return text.isPresent() ? text.get() : field.asNumber().map(String::valueOf).orElse(null);
    }
}
