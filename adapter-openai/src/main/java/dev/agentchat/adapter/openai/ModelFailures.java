package dev.agentchat.adapter.openai;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import dev.agentchat.ports.chat.ModelFailure;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import reactor.core.Exceptions;

/**
 * Translates what the SDK, Netty and the service say into {@link ModelFailure}s with stable codes:
 * the only place this adapter's technology errors become the port's. Each failure carries two texts.
 * Its message, which clients read, is a plain sentence chosen here: it never names the service's
 * address, an exception or the service's own words (which can name deployments, organisations or
 * quote the request). Its detail, which only the log gets, names the service and quotes it,
 * shortened. Neither ever carries the API key (it is scrubbed, should a proxy echo it).
 */
final class ModelFailures {
    static final String RATE_LIMITED = "rate_limited";
    static final String UNAVAILABLE = "model_unavailable";
    static final String CONTENT_FILTER = "content_filter";
    static final String CONTEXT_TOO_LONG = "context_length_exceeded";
    static final String AUTH_FAILED = "model_auth_failed";
    static final String MODEL_ERROR = "model_error";
    static final String STREAM_CUT = "model_stream_cut";

    private static final int MAX_QUOTE = 300;
    /** A Retry-After in seconds that is worth repeating to a client; an HTTP date or anything else is left out. */
    private static final Pattern SECONDS = Pattern.compile("\\d{1,6}");

    private final String service;
    private final Optional<String> secret;

    ModelFailures(AzureOpenAiSettings settings) {
        URI endpoint = settings.endpoint();
        this.service = "the model service at " + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
        this.secret = settings.apiKey();
    }

    /** A failure before the answer began: the service refused (after any retries) or could not be reached. */
    ModelFailure beforeAnswer(Throwable thrown) {
        Throwable e = Exceptions.unwrap(thrown);
        if (e instanceof ModelFailure failure) {
            return failure;
        }
        if (e instanceof HttpResponseException refused && refused.getResponse() != null) {
            return refused(refused.getResponse(), refused.getValue(), e);
        }
        if (e instanceof ClientAuthenticationException) {
            // No response: the credential itself failed (Entra ID could not get a token).
            return failure(AUTH_FAILED, "The service could not sign in to the model service.",
                    "Could not get a token for " + service + ": " + abbreviate(scrub(String.valueOf(e.getMessage()))), e);
        }
        if (e instanceof TimeoutException) {
            return failure(UNAVAILABLE, "The model service did not answer in time. Try again shortly.",
                    capitalised(service) + " did not answer in time.", e);
        }
        return failure(UNAVAILABLE, "The model service could not be reached. Try again shortly.",
                "Could not reach " + service + " (" + describe(e) + ").", e);
    }

    /** A failure after the answer began: the connection broke off, or went silent too long. */
    ModelFailure midAnswer(Throwable thrown) {
        Throwable e = Exceptions.unwrap(thrown);
        if (e instanceof ModelFailure failure) {
            return failure;
        }
        if (e instanceof TimeoutException) {
            return failure(STREAM_CUT, "The model service went silent in the middle of the answer.",
                    capitalised(service) + " went silent in the middle of the answer.", e);
        }
        return failure(STREAM_CUT, "The connection to the model service broke off in the middle of the answer.",
                "The connection to " + service + " broke off in the middle of the answer (" + describe(e) + ").", e);
    }

    /** The body ended before the answer was finished (no finish reason, no [DONE]). */
    ModelFailure endedEarly() {
        return failure(STREAM_CUT, "The model service ended the answer before it was finished.",
                capitalised(service) + " ended the answer before it was finished.", null);
    }

    /** An error event the service sent in place of the rest of the answer ({"error": {...}}). */
    ModelFailure inAnswer(Object error) {
        ServiceError said = ServiceError.of(error);
        String detail = capitalised(service) + " stopped the answer with an error" + quoted(said) + ".";
        if (said.is(CONTENT_FILTER)) {
            return failure(CONTENT_FILTER, "The model's content filter stopped the answer.", detail, null);
        }
        if (said.is(CONTEXT_TOO_LONG) || said.says("maximum context length")) {
            return failure(CONTEXT_TOO_LONG, "The conversation is longer than the model's context window.", detail, null);
        }
        return failure(MODEL_ERROR, "The model service stopped the answer with an error.", detail, null);
    }

    /** A chunk that is not a chat completion: the chunk itself is quoted only in the detail. */
    ModelFailure notAChunk(String chunk, Throwable cause) {
        return failure("model_protocol_error", "The model service sent something that is not part of an answer.",
                capitalised(service) + " sent a chunk that is not a chat completion: " + abbreviate(scrub(chunk)), cause);
    }

    private ModelFailure refused(HttpResponse response, Object body, Throwable cause) {
        int status = response.getStatusCode();
        ServiceError said = ServiceError.of(body instanceof Map<?, ?> map ? map.get("error") : null);
        String quoted = quoted(said);
        if (status == 401 || status == 403) {
            return failure(AUTH_FAILED, "The model service did not accept this service's credentials.",
                    capitalised(service) + " refused the credentials (HTTP " + status + ")" + quoted + ".", cause);
        }
        if (status == 429) {
            Optional<String> asked = Optional.ofNullable(response.getHeaderValue(HttpHeaderName.RETRY_AFTER)).map(String::strip);
            String again = asked.filter(s -> SECONDS.matcher(s).matches()).map(s -> " Try again in " + s + " seconds.")
                    .orElse(" Try again shortly.");
            return failure(RATE_LIMITED, "The model service is receiving too many requests." + again,
                    capitalised(service) + " is rate limiting requests (HTTP 429) and retries did not get through"
                            + quoted + "." + asked.map(s -> " It asked to wait " + s + " s.").orElse(""), cause);
        }
        if (status == 408 || status >= 500) {
            return failure(UNAVAILABLE, "The model service is unavailable. Try again shortly.",
                    capitalised(service) + " is unavailable (HTTP " + status + ") and retries did not get through" + quoted + ".", cause);
        }
        if (said.is(CONTENT_FILTER) || said.is("ResponsibleAIPolicyViolation")) {
            return failure(CONTENT_FILTER, "The model's content filter refused the request.",
                    "The content filter of " + service + " refused the request" + quoted + ".", cause);
        }
        if (said.is(CONTEXT_TOO_LONG) || said.says("maximum context length")) {
            return failure(CONTEXT_TOO_LONG, "The conversation is longer than the model's context window.",
                    "The conversation is longer than the model's context window" + quoted + ".", cause);
        }
        return failure(MODEL_ERROR, "The model service refused the request.",
                capitalised(service) + " refused the request (HTTP " + status + ")" + quoted + ".", cause);
    }

    private ModelFailure failure(String code, String message, String detail, Throwable cause) {
        return new ModelFailure(code, message, scrub(detail), cause);
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_QUOTE ? oneLine : oneLine.substring(0, MAX_QUOTE - 1) + "\u2026";
    }

    private String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + abbreviate(scrub(message)));
    }

    /** The service's own words, quoted: the key is removed before they are shortened, so no part of it survives. */
    private String quoted(ServiceError said) {
        return said.message() == null || said.message().isBlank() ? "" : ": " + abbreviate(scrub(said.message()));
    }

    private String scrub(String text) {
        return secret.map(key -> text.replace(key, "***")).orElse(text);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * The service's own error object: {@code {"code", "message", "innererror": {"code"}}} (Azure puts
     * "ResponsibleAIPolicyViolation" in the inner code of a content filter refusal).
     */
    private record ServiceError(String code, String innerCode, String message) {
        static ServiceError of(Object error) {
            if (!(error instanceof Map<?, ?> map)) {
                return new ServiceError(null, null, error instanceof String text ? text : null);
            }
            Object inner = map.get("innererror");
            return new ServiceError(text(map.get("code")), inner instanceof Map<?, ?> i ? text(i.get("code")) : null,
                    text(map.get("message")));
        }

        boolean is(String wanted) {
            return wanted.equals(code) || wanted.equals(innerCode);
        }

        boolean says(String words) {
            return message != null && message.contains(words);
        }


        private static String text(Object value) {
            return value == null ? null : value.toString();
        }
    }
}
