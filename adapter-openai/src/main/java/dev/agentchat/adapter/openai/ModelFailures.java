package dev.agentchat.adapter.openai;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelServiceFailures;
import dev.agentchat.ports.chat.ModelServiceFailures.ServiceError;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import reactor.core.Exceptions;

/**
 * Translates what the SDK, Netty and the service say into {@link ModelFailure}s: the only place this
 * adapter's technology errors become the port's. Which failure each is, and its words, are
 * {@link ModelServiceFailures}'s, as for every model adapter.
 */
final class ModelFailures {
    private final ModelServiceFailures failures;

    ModelFailures(AzureOpenAiSettings settings) {
        this.failures = new ModelServiceFailures(settings.endpoint(), settings.apiKey());
    }

    /** A failure before the answer began: the service refused (after any retries) or could not be reached. */
    ModelFailure beforeAnswer(Throwable thrown) {
        Throwable e = Exceptions.unwrap(thrown);
        if (e instanceof ModelFailure failure) {
            return failure;
        }
        if (e instanceof HttpResponseException refused && refused.getResponse() != null) {
            HttpResponse response = refused.getResponse();
            Object body = refused.getValue();
            return failures.refused(response.getStatusCode(), said(body instanceof Map<?, ?> map ? map.get("error") : null),
                    Optional.ofNullable(response.getHeaderValue(HttpHeaderName.RETRY_AFTER)), e);
        }
        if (e instanceof ClientAuthenticationException) {
            return failures.cannotSignIn(e);   // no response: the credential itself failed (Entra ID could not get a token)
        }
        if (e instanceof TimeoutException) {
            return failures.tooSlow(e);
        }
        return failures.unreachable(e);
    }

    /** A failure after the answer began: the connection broke off, or went silent too long. */
    ModelFailure midAnswer(Throwable thrown) {
        Throwable e = Exceptions.unwrap(thrown);
        if (e instanceof ModelFailure failure) {
            return failure;
        }
        return e instanceof TimeoutException ? failures.wentSilent(e) : failures.brokeOff(e);
    }

    /** The body ended before the answer was finished (no finish reason, no [DONE]). */
    ModelFailure endedEarly() {
        return failures.endedEarly();
    }

    /** An error event the service sent in place of the rest of the answer ({"error": {...}}). */
    ModelFailure inAnswer(Object error) {
        return failures.inAnswer(said(error), null);
    }

    /** A chunk that is not a chat completion: the chunk itself is quoted only in the detail. */
    ModelFailure notAChunk(String chunk, Throwable cause) {
        return failures.notAChunk(chunk, cause);
    }

    /** The service's own error object, as the SDK read it ({@code code}, {@code message}, {@code innererror.code}). */
    private static ServiceError said(Object error) {
        if (!(error instanceof Map<?, ?> map)) {
            return new ServiceError(null, null, error instanceof String text ? text : null);
        }
        Object inner = map.get("innererror");
        return new ServiceError(text(map.get("code")), inner instanceof Map<?, ?> i ? text(i.get("code")) : null,
                text(map.get("message")));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
