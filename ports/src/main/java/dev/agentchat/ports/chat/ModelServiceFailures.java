package dev.agentchat.ports.chat;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an OpenAI-compatible model service's troubles become: {@link ModelFailure}s with the port's stable codes
 * and the same plain sentences whichever client library asked, so that a client cannot tell which one did.
 * Each model adapter turns its library's errors into calls here, and nothing else writes these failures.
 *
 * <p>A failure's message, which clients read, never names the service's address, an exception or the
 * service's own words (which can name deployments, organisations or quote the request). Its detail, which
 * only the log gets, names the service and quotes it, shortened. Neither ever carries the API key: it is
 * scrubbed, should a proxy echo it.
 */
public final class ModelServiceFailures {
    public static final String RATE_LIMITED = "rate_limited";
    public static final String UNAVAILABLE = "model_unavailable";
    public static final String CONTENT_FILTER = "content_filter";
    public static final String CONTEXT_TOO_LONG = "context_length_exceeded";
    public static final String AUTH_FAILED = "model_auth_failed";
    public static final String MODEL_ERROR = "model_error";
    public static final String STREAM_CUT = "model_stream_cut";
    public static final String PROTOCOL_ERROR = "model_protocol_error";

    private static final int LONGEST_QUOTE = 300;
    /** A Retry-After in seconds is worth repeating to a client; an HTTP date or anything else is not. */
    private static final Pattern WHOLE_SECONDS = Pattern.compile("\\d{1,6}");

    private final String service;
    private final Optional<String> secret;

    /** For the service at {@code endpoint}, asked with {@code secret} (if any), which no failure may show. */
    public ModelServiceFailures(URI endpoint, Optional<String> secret) {
        this.service = "the model service at " + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /**
     * The service's own error object: {@code {"code", "message", "innererror": {"code"}}} (Azure puts
     * "ResponsibleAIPolicyViolation" in the inner code of a content filter refusal); any part may be missing.
     */
    public record ServiceError(String code, String innerCode, String message) {
        public static final ServiceError NONE = new ServiceError(null, null, null);

        boolean is(String wanted) {
            return wanted.equals(code) || wanted.equals(innerCode);
        }

        boolean says(String words) {
            return message != null && message.contains(words);
        }
    }

    /** No answer came within the read timeout, before the answer began. */
    public ModelFailure tooSlow(Throwable cause) {
        return failure(UNAVAILABLE, "The model service did not answer in time. Try again shortly.",
                capitalised(service) + " did not answer in time.", cause);
    }

    /** The service could not be reached (no connection, a broken one before any answer). */
    public ModelFailure unreachable(Throwable cause) {
        return failure(UNAVAILABLE, "The model service could not be reached. Try again shortly.",
                "Could not reach " + service + " (" + describe(cause) + ").", cause);
    }

    /** This service's credential could not be had (Entra ID gave no token); nothing was sent. */
    public ModelFailure cannotSignIn(Throwable cause) {
        return failure(AUTH_FAILED, "The service could not sign in to the model service.",
                "Could not get a token for " + service + ": " + shortened(scrub(String.valueOf(cause.getMessage()))), cause);
    }

    /** The answer had begun and then nothing came within the read timeout. */
    public ModelFailure wentSilent(Throwable cause) {
        return failure(STREAM_CUT, "The model service went silent in the middle of the answer.",
                capitalised(service) + " went silent in the middle of the answer.", cause);
    }

    /** The answer had begun and the connection broke. */
    public ModelFailure brokeOff(Throwable cause) {
        return failure(STREAM_CUT, "The connection to the model service broke off in the middle of the answer.",
                "The connection to " + service + " broke off in the middle of the answer (" + describe(cause) + ").", cause);
    }

    /** The body ended before the answer was finished (no finish reason). */
    public ModelFailure endedEarly() {
        return failure(STREAM_CUT, "The model service ended the answer before it was finished.",
                capitalised(service) + " ended the answer before it was finished.", null);
    }

    /** A chunk that is no chat completion; {@code what} (the chunk, or what the library said of it) goes to the detail only. */
    public ModelFailure notAChunk(String what, Throwable cause) {
        return failure(PROTOCOL_ERROR, "The model service sent something that is not part of an answer.",
                capitalised(service) + " sent a chunk that is not a chat completion: " + shortened(scrub(what)), cause);
    }

    /** An error event the service sent in place of the rest of the answer. */
    public ModelFailure inAnswer(ServiceError said, Throwable cause) {
        String detail = capitalised(service) + " stopped the answer with an error" + quoted(said) + ".";
        if (said.is(CONTENT_FILTER)) {
            return failure(CONTENT_FILTER, "The model's content filter stopped the answer.", detail, cause);
        }
        if (said.is(CONTEXT_TOO_LONG) || said.says("maximum context length")) {
            return failure(CONTEXT_TOO_LONG, "The conversation is longer than the model's context window.", detail, cause);
        }
        return failure(MODEL_ERROR, "The model service stopped the answer with an error.", detail, cause);
    }

    /**
     * The service refused the request with {@code status} (after any retries), saying {@code said}; {@code retryAfter}
     * is its {@code Retry-After}, if it sent one.
     */
    public ModelFailure refused(int status, ServiceError said, Optional<String> retryAfter, Throwable cause) {
        String quoted = quoted(said);
        if (status == 401 || status == 403) {
            return failure(AUTH_FAILED, "The model service did not accept this service's credentials.",
                    capitalised(service) + " refused the credentials (HTTP " + status + ")" + quoted + ".", cause);
        }
        if (status == 429) {
            Optional<String> asked = retryAfter.map(String::strip);
            String again = asked.filter(s -> WHOLE_SECONDS.matcher(s).matches()).map(s -> " Try again in " + s + " seconds.")
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

    /** An exception as the detail names it: its class and its message, shortened and scrubbed. */
    public String describe(Throwable e) {
        if (e == null) {
            return "no cause";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + shortened(scrub(message)));
    }

    /** Text shortened to one line of at most 300 characters, for a detail. */
    public static String shortened(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= LONGEST_QUOTE ? oneLine : oneLine.substring(0, LONGEST_QUOTE - 1) + "\u2026";
    }

    private ModelFailure failure(String code, String message, String detail, Throwable cause) {
        return new ModelFailure(code, message, scrub(detail), cause);
    }

    /** The service's own words, quoted: the key is removed before they are shortened, so no part of it survives. */
    private String quoted(ServiceError said) {
        return said.message() == null || said.message().isBlank() ? "" : ": " + shortened(scrub(said.message()));
    }

    private String scrub(String text) {
        return secret.map(key -> text.replace(key, "***")).orElse(text);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
