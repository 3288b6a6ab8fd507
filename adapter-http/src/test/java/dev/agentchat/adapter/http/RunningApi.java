package dev.agentchat.adapter.http;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The HTTP API over the in-memory adapters, started afresh for each test (before the test's own
 * {@code @BeforeEach}) and stopped after it, with a client that calls it over a real socket.
 */
final class RunningApi implements BeforeEachCallback, AfterEachCallback {
    private ApiOverMemory service;
    private ApiClient client;

    @Override
    public void beforeEach(ExtensionContext context) {
        service = new ApiOverMemory();
        client = new ApiClient(service.port());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        client.close();
        service.close();
    }

    ApiOverMemory service() {
        return service;
    }

    ApiClient client() {
        return client;
    }
}
