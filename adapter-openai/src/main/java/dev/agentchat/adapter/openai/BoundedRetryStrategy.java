package dev.agentchat.adapter.openai;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * azure-core's exponential backoff (it retries 408, 429 and 5xx but 501 and 505, and connection
 * failures, and waits what the service asks in retry-after-ms, x-ms-retry-after-ms or Retry-After),
 * with one bound added: a service that asks for a longer wait than the configured maximum delay is
 * not waited for. Azure OpenAI asks for up to a minute on 429; a chat user is better told at once.
 *
 * <p>Retrying is safe here because the retry policy acts on the response status, before any of the
 * streamed body is read: a token is never sent twice.
 */
final class BoundedRetryStrategy implements RetryStrategy {
    private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
    private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");

    private final ExponentialBackoff backoff;
    private final Duration longestWait;

    BoundedRetryStrategy(AzureOpenAiSettings.Retries retries) {
        this.backoff = new ExponentialBackoff(retries.maxRetries(), retries.baseDelay(), retries.maxDelay());
        this.longestWait = retries.maxDelay();
    }

    @Override
    public int getMaxRetries() {
        return backoff.getMaxRetries();
    }

    @Override
    public Duration calculateRetryDelay(int retryAttempts) {
        return backoff.calculateRetryDelay(retryAttempts);
    }

    @Override
    public boolean shouldRetry(HttpResponse response) {
        return backoff.shouldRetry(response) && waitWithinBound(response);
    }

    @Override
    public boolean shouldRetryException(Throwable throwable) {
        return !isTimeout(throwable) && backoff.shouldRetryException(throwable);
    }

    @Override
    public boolean shouldRetryCondition(RequestRetryCondition condition) {
        HttpResponse response = condition.getResponse();
        return !isTimeout(condition.getThrowable()) && backoff.shouldRetryCondition(condition)
                && (response == null || waitWithinBound(response));
    }

    /**
     * A service that stayed silent for a whole read timeout is not asked again: each retry would wait
     * that long once more and hold the turn for minutes. Refusals and failed connections are retried.
     */
    private static boolean isTimeout(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private boolean waitWithinBound(HttpResponse response) {
        return askedWait(response).map(wait -> wait.compareTo(longestWait) <= 0).orElse(true);
    }

    /** The wait the service asks for, read from the same headers azure-core's RetryPolicy obeys. */
    static Optional<Duration> askedWait(HttpResponse response) {
        for (HttpHeaderName millisHeader : new HttpHeaderName[] {RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS}) {
            String millis = response.getHeaderValue(millisHeader);
            if (millis != null) {
                try {
                    return Optional.of(Duration.ofMillis(Long.parseLong(millis.strip())));
                } catch (NumberFormatException e) {
                    // not a number: azure-core ignores it too
                }
            }
        }
        String retryAfter = response.getHeaderValue(HttpHeaderName.RETRY_AFTER);
        if (retryAfter == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Duration.between(ZonedDateTime.now(at.getZone()), at));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
