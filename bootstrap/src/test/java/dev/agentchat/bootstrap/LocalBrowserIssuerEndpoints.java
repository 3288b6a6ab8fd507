package dev.agentchat.bootstrap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The local issuer's HTTP side: discovery, authorization, token, keys and end-session endpoints, with the CORS
 * answers a single-page application needs (it fetches the discovery document and redeems codes from its own
 * origin). What each request decides is in {@link LocalBrowserIssuer}.
 */
final class LocalBrowserIssuerEndpoints {
    private final LocalBrowserIssuer issuer;

    LocalBrowserIssuerEndpoints(LocalBrowserIssuer issuer) {
        this.issuer = issuer;
    }

    void serveOn(HttpServer server) {
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/logout", this::logout);
        serveKeysOn(server);
    }

    void serveKeysOn(HttpServer server) {
        server.createContext("/keys", exchange -> json(exchange, 200, issuer.keySet()));
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = issuer.url();
        ObjectNode document = ServiceUnderTest.JSON.createObjectNode();
        document.put("issuer", base);
        document.put("authorization_endpoint", base + "/authorize");
        document.put("token_endpoint", base + "/token");
        document.put("jwks_uri", base + "/keys");
        document.put("end_session_endpoint", base + "/logout");
        document.putArray("response_types_supported").add("code");
        document.putArray("response_modes_supported").add("query").add("fragment");
        document.putArray("grant_types_supported").add("authorization_code").add("refresh_token");
        document.putArray("code_challenge_methods_supported").add("S256");
        document.putArray("subject_types_supported").add("public");
        document.putArray("id_token_signing_alg_values_supported").add("RS256");
        document.putArray("scopes_supported").add("openid").add("profile").add("offline_access");
        document.putArray("token_endpoint_auth_methods_supported").add("none");
        json(exchange, 200, document.toString());
    }

    /**
     * Answers with a redirect back to the registered redirect URI carrying {@code code} and {@code state} (or
     * {@code error}), in the query or the fragment as the client asked. An unregistered client or redirect URI
     * gets an error page, never a redirect: that is how an open redirector is avoided.
     */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> parameters = query(exchange);
        String redirectUri = parameters.get("redirect_uri");
        if (!issuer.clientId().equals(parameters.get("client_id")) || !issuer.isRedirectUri(redirectUri)) {
            text(exchange, 400, "unknown client or redirect URI");
            return;
        }
        String responseMode = parameters.getOrDefault("response_mode", "query");
        if (!"code".equals(parameters.get("response_type")) || !List.of("query", "fragment").contains(responseMode)
                || !"S256".equals(parameters.get("code_challenge_method"))) {
            text(exchange, 400, "only response_type=code with S256 PKCE, answered in the query or the fragment");
            return;
        }
        String code = issuer.authorize(parameters);
        String answer = code == null ? "error=login_required" : "code=" + LocalBrowserIssuer.encode(code);
        if (parameters.containsKey("state")) {
            answer += "&state=" + LocalBrowserIssuer.encode(parameters.get("state"));
        }
        redirect(exchange, redirectUri + ("fragment".equals(responseMode) ? "#" : "?") + answer);
    }

    private void token(HttpExchange exchange) throws IOException {
        if (preflight(exchange)) {
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            text(exchange, 405, "POST only");
            return;
        }
        Map<String, String> form = LocalBrowserIssuer.parseForm(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        ObjectNode answer = switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> issuer.redeemCode(form);
            case "refresh_token" -> issuer.redeemRefreshToken(form);
            default -> null;
        };
        if (answer == null) {
            json(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        json(exchange, answer.has("error") ? 400 : 200, answer.toString());
    }

    private void logout(HttpExchange exchange) throws IOException {
        String postLogout = query(exchange).get("post_logout_redirect_uri");
        issuer.logout(postLogout);
        if (issuer.isRedirectUri(postLogout)) {
            redirect(exchange, postLogout);
        } else {
            text(exchange, 200, "You are signed out.");
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        return LocalBrowserIssuer.parseForm(exchange.getRequestURI().getRawQuery());
    }

    /** Answers a CORS preflight; true when the exchange was one. */
    private boolean preflight(HttpExchange exchange) throws IOException {
        if (!"OPTIONS".equals(exchange.getRequestMethod())) {
            return false;
        }
        allowOrigin(exchange);
        String headers = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST");
        if (headers != null) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Headers", headers);
        }
        exchange.getResponseHeaders().set("Access-Control-Max-Age", "600");
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        return true;
    }

    private void allowOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (issuer.isAllowedOrigin(origin)) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
            exchange.getResponseHeaders().add("Vary", "Origin");
        }
    }

    private void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void json(HttpExchange exchange, int status, String body) {
        send(exchange, status, "application/json", body);
    }

    private void text(HttpExchange exchange, int status, String body) {
        send(exchange, status, "text/plain; charset=utf-8", body);
    }

    private void send(HttpExchange exchange, int status, String contentType, String body) {
        try (exchange) {
            if (preflight(exchange)) {
                return;
            }
            allowOrigin(exchange);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
