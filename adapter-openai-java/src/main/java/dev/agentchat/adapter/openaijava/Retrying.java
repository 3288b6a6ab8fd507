package dev.agentchat.adapter.openaijava;

import com.openai.core.http.Headers;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a request that failed before its answer began is tried again, and after how long. The SDK's own
 * retries are off: they retry 409 too, wait up to a minute when the service asks, and sleep where a close
 * could not wake them. These are the other model adapter's rules: 408, 429 and 5xx (but 501 and 505) and
 * failed connections are retried, not a service that stayed silent a whole read timeout (each retry would
 * wait that long again); the wait is what the service asks (retry-after-ms, x-ms-retry-after-ms,
 * Retry-After), else an exponential backoff with 5% jitter; and a service that asks for more than the
 * longest delay is not waited for at all: a chat user is better told at once.
 */
final class Retrying {
    private static final double JITTER = 0.05;

    private final OpenAiJavaSettings.Retries retries;

    Retrying(OpenAiJavaSettings.Retries retries) {
        this.retries = retries;
    }

    /** The wait before try number {@code retry + 1}, or empty when {@code failure} is final. */
    Optional<Duration> waitAfter(RuntimeException failure, int retry) {
        if (retry >= retries.maxRetries()) {
            return Optional.empty();
        }
        return switch (failure) {
            case OpenAIServiceException refused when retried(refused.statusCode()) -> {
                Optional<Duration> asked = askedWait(refused.headers());
                if (asked.isPresent() && asked.get().compareTo(retries.maxDelay()) > 0) {
                    yield Optional.empty();
                }
                yield Optional.of(asked.orElseGet(() -> backoff(retry)));
            }
            case OpenAIIoException io when !(io.getCause() instanceof InterruptedIOException) -> Optional.of(backoff(retry));
            default -> Optional.empty();
        };
    }

    private static boolean retried(int status) {
        return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
    }

    private Duration backoff(int retry) {
        long base = retries.baseDelay().toNanos();
        long jittered = ThreadLocalRandom.current().nextLong((long) (base * (1 - JITTER)), (long) (base * (1 + JITTER)) + 1);
        long grown = retry >= 30 ? Long.MAX_VALUE : jittered << retry;
        return Duration.ofNanos(grown < 0 ? retries.maxDelay().toNanos() : Math.min(grown, retries.maxDelay().toNanos()));
    }

    static Optional<Duration> askedWait(Headers headers) {
        for (String millisHeader : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            Optional<Long> millis = headers.values(millisHeader).stream().findFirst().flatMap(Retrying::number);
            if (millis.isPresent()) {
                return millis.map(Duration::ofMillis);
            }
        }
        Optional<String> retryAfter = headers.values("Retry-After").stream().findFirst().map(String::strip);
        if (retryAfter.isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> seconds = number(retryAfter.get());
        if (seconds.isPresent()) {
            return seconds.map(Duration::ofSeconds);
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(retryAfter.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
            return Optional.of(Duration.between(ZonedDateTime.now(at.getZone()), at));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
