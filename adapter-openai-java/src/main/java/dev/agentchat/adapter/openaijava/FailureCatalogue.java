package dev.agentchat.adapter.openaijava;

/**
 * The stable codes and the client-facing sentences of model failures. They are the port's vocabulary as
 * the service's users see it, so they read word for word as the other model adapter's: a client cannot
 * tell which library asked the model.
 */
final class FailureCatalogue {
    // The service could not be asked, or refused.
    static final String UNAVAILABLE = "model_unavailable";
    static final String TOO_SLOW = "The model service did not answer in time. Try again shortly.";
    static final String UNREACHABLE = "The model service could not be reached. Try again shortly.";
    static final String UNAVAILABLE_NOW = "The model service is unavailable. Try again shortly.";
    static final String RATE_LIMITED = "rate_limited";
    static final String TOO_MANY_REQUESTS = "The model service is receiving too many requests.";
    static final String AUTH_FAILED = "model_auth_failed";
    static final String CANNOT_SIGN_IN = "The service could not sign in to the model service.";
    static final String CREDENTIALS_REFUSED = "The model service did not accept this service's credentials.";
    static final String CONTENT_FILTER = "content_filter";
    static final String FILTER_REFUSED = "The model's content filter refused the request.";
    static final String FILTER_STOPPED = "The model's content filter stopped the answer.";
    static final String CONTEXT_TOO_LONG = "context_length_exceeded";
    static final String TOO_LONG = "The conversation is longer than the model's context window.";
    static final String MODEL_ERROR = "model_error";
    static final String REFUSED = "The model service refused the request.";
    static final String STOPPED_WITH_ERROR = "The model service stopped the answer with an error.";

    // The answer had begun.
    static final String STREAM_CUT = "model_stream_cut";
    static final String WENT_SILENT = "The model service went silent in the middle of the answer.";
    static final String BROKE_OFF = "The connection to the model service broke off in the middle of the answer.";
    static final String ENDED_EARLY = "The model service ended the answer before it was finished.";
    static final String PROTOCOL_ERROR = "model_protocol_error";
    static final String NOT_AN_ANSWER = "The model service sent something that is not part of an answer.";

    private FailureCatalogue() {
    }
}
