package dev.agentchat.adapter.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID Connect issuer on a loopback port: its discovery document and key set over real HTTP, and
 * tokens signed with its keys, made at test time. It can rotate its keys and go down.
 */
final class LocalIssuer implements AutoCloseable {
    private final HttpServer server;
    private final String issuer;
    private final AtomicInteger keySetRequests = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private volatile List<JWK> keys;
    private volatile boolean down;
    private int generation;

    LocalIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local issuer on a loopback port", e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/tenant";
        keys = newKeys();
        server.createContext("/tenant/.well-known/openid-configuration", exchange -> {
            discoveryRequests.incrementAndGet();
            answer(exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}");
        });
        server.createContext("/tenant/keys", exchange -> {
            keySetRequests.incrementAndGet();
            answer(exchange, new JWKSet(keys).toPublicJWKSet().toString());
        });
        server.start();
    }

    String issuer() {
        return issuer;
    }

    int keySetRequests() {
        return keySetRequests.get();
    }

    int discoveryRequests() {
        return discoveryRequests.get();
    }

    RSAKey rsaKey() {
        return (RSAKey) keys.get(0);
    }

    ECKey ecKey() {
        return (ECKey) keys.get(1);
    }

    /** Publishes new keys in place of the old ones, as an issuer does after a rotation. */
    void rotateKeys() {
        keys = newKeys();
    }

    void goDown() {
        down = true;
    }

    void comeBackUp() {
        down = false;
    }

    /** Claims of a valid token for the audience, from now on the clock for an hour. */
    JWTClaimsSet.Builder claims(String audience, MovableClock clock) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("subject-1")
                .issueTime(java.util.Date.from(clock.now()))
                .notBeforeTime(java.util.Date.from(clock.now()))
                .expirationTime(java.util.Date.from(clock.now().plusSeconds(3600)));
    }

    String signedWithRsa(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.RS256, rsaKey());
    }

    String signedWithEc(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.ES256, ecKey());
    }

    static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, JWK key) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            token.sign(signer);
            return token.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JWK> newKeys() {
        generation++;
        try {
            return List.of(new RSAKeyGenerator(2048).keyID("rsa-" + generation).generate(),
                    new ECKeyGenerator(Curve.P_256).keyID("ec-" + generation).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange, String body) throws IOException {
        try (exchange) {
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
