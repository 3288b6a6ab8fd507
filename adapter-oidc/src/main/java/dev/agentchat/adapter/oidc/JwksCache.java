package dev.agentchat.adapter.oidc;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.agentchat.adapter.oidc.OidcSettings.TrustedIssuer;
import dev.agentchat.ports.time.Clock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The signing keys of one issuer: fetched when first needed, kept, and fetched again when a token names a
 * key not among them (the issuer rotated its keys), at most once per refetch interval. Keys once fetched
 * are kept when a later fetch fails, so an unreachable endpoint does not stop tokens signed with them.
 */
final class JwksCache {
    /** While no key was ever fetched every token waits on them, so the first fetch is retried sooner. */
    private static final Duration RETRY_WHILE_EMPTY = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** A key set or discovery document is a few kilobytes; anything far larger is not one. */
    private static final int MAX_DOCUMENT_CHARS = 512 * 1024;

    /** What the cache could find for a token's header. */
    sealed interface Lookup {
        record Found(List<JWK> keys) implements Lookup {
        }

        record NoSuchKey() implements Lookup {
        }

        record Unreachable(String reason) implements Lookup {
        }
    }

    private final TrustedIssuer issuer;
    private final HttpClient http;
    private final Clock clock;
    private final long refetchNanos;
    // Read without the lock on the hot path (the key is known); replaced whole, under the lock.
    private volatile JWKSet keys;
    private final ReentrantLock fetching = new ReentrantLock(); // not synchronized: virtual threads wait on it unpinned
    private URI jwksUri;
    private boolean attempted;
    private long lastAttemptNanos;

    JwksCache(TrustedIssuer issuer, HttpClient http, Clock clock, Duration refetchInterval) {
        this.issuer = issuer;
        this.http = http;
        this.clock = clock;
        this.refetchNanos = refetchInterval.toNanos();
        this.jwksUri = issuer.jwksUri().orElse(null);
    }

    /** The keys that may have signed a token with this header (its {@code kid}, key type and use). */
    Lookup keysFor(JWSHeader header) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        JWKSet known = keys;
        if (known != null) {
            List<JWK> found = selector.select(known);
            if (!found.isEmpty()) {
                return new Lookup.Found(found);
            }
        }
        fetching.lock();
        try {
            String failure = null;
            if (keys == known && mayFetchNow()) {
                failure = fetch();
            }
            if (keys == null) {
                return new Lookup.Unreachable(failure != null ? failure
                        : "no keys of issuer " + issuer.issuer() + " could be fetched yet");
            }
            List<JWK> found = selector.select(keys);
            if (!found.isEmpty()) {
                return new Lookup.Found(found);
            }
            // The key may be new and its issuer down: that is worth another try later, not a refusal.
            return failure != null ? new Lookup.Unreachable(failure) : new Lookup.NoSuchKey();
        } finally {
            fetching.unlock();
        }
    }

    private boolean mayFetchNow() {
        long wait = keys == null ? Math.min(refetchNanos, RETRY_WHILE_EMPTY.toNanos()) : refetchNanos;
        return !attempted || clock.nanoTime() - lastAttemptNanos >= wait;
    }

    /** Fetches the key set; answers why it failed, or null. */
    private String fetch() {
        attempted = true;
        lastAttemptNanos = clock.nanoTime();
        try {
            if (jwksUri == null) {
                jwksUri = jwksUriFromDiscovery();
            }
            keys = JWKSet.parse(get(jwksUri)).toPublicJWKSet();
            return null;
        } catch (IOException | ParseException | IllegalArgumentException e) {
            return "the keys of issuer " + issuer.issuer() + " could not be fetched: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while fetching the keys of issuer " + issuer.issuer();
        }
    }

    private URI jwksUriFromDiscovery() throws IOException, InterruptedException, ParseException {
        URI document = issuer.discoveryDocument();
        Map<String, Object> metadata = JSONObjectUtils.parse(get(document));
        // OpenID Connect Discovery 1.0, 4.3: a document for another issuer must not be used.
        if (!issuer.issuer().equals(JSONObjectUtils.getString(metadata, "issuer"))) {
            throw new ParseException("the discovery document at " + document + " names another issuer", 0);
        }
        String uri = JSONObjectUtils.getString(metadata, "jwks_uri");
        if (uri == null) {
            throw new ParseException("the discovery document at " + document + " has no jwks_uri", 0);
        }
        return OidcSettings.requireSafeAddress(uri, "jwks_uri");
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        if (response.body().length() > MAX_DOCUMENT_CHARS) {
            throw new IOException(uri + " sent more than " + MAX_DOCUMENT_CHARS + " characters");
        }
        return response.body();
    }
}
