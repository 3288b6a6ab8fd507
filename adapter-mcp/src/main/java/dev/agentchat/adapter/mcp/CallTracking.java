package dev.agentchat.adapter.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A transport that remembers the JSON-RPC id of each {@code tools/call} it sends, by the call's progress token, and
 * can cancel a call by it. The SDK (2.2) keeps its request ids to itself and sends no
 * {@code notifications/cancelled} when a caller stops waiting, so without this a server would go on running a call
 * nobody waits for. The progress token is ours, one per call, so it finds the id of exactly that call.
 */
final class CallTracking implements McpClientTransport {
    private final McpClientTransport transport;
    private final Map<Object, Object> requestIds = new ConcurrentHashMap<>();
    private final Map<Object, CompletableFuture<Throwable>> deliveries = new ConcurrentHashMap<>();
    /** Calls cancelled before they were sent (the SDK sends on another thread): they are never sent. */
    private final Set<Object> cancelledUnsent = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();

    CallTracking(McpClientTransport transport) {
        this.transport = transport;
    }

    /**
     * Tells the server to stop the call with {@code progressToken} (MCP {@code notifications/cancelled}), without
     * waiting for the message to leave: the caller is returning at once.
     */
    void cancel(Object progressToken, String reason) {
        Object requestId;
        synchronized (this) {
            requestId = requestIds.remove(progressToken);
            if (requestId == null) {
                cancelledUnsent.add(progressToken);
                return;
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requestId", requestId);
        params.put("reason", reason);
        transport.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/cancelled", params))
                .subscribe(ignored -> { }, error -> { });
    }

    /** The transport this one wraps. */
    McpClientTransport wrapped() {
        return transport;
    }

    /**
     * Whether the server refused the call with {@code progressToken} because it no longer knows the session (HTTP
     * 404, or 400 from some servers): then it did not run the call. The SDK may fail the call with another error
     * first (it ends the old session's calls as it opens a new one), so this waits, briefly, for the send to end.
     */
    boolean refusedForLostSession(Object progressToken) {
        CompletableFuture<Throwable> delivery = deliveries.get(progressToken);
        try {
            return delivery != null && delivery.get(5, TimeUnit.SECONDS) instanceof McpTransportSessionNotFoundException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Forgets a call that ended. */
    void ended(Object progressToken) {
        requestIds.remove(progressToken);
        deliveries.remove(progressToken);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request
                && McpSchema.METHOD_TOOLS_CALL.equals(request.method())
                && request.params() instanceof McpSchema.CallToolRequest call) {
            Object token = call.progressToken();
            if (token != null) {
                CompletableFuture<Throwable> delivery = new CompletableFuture<>();
                synchronized (this) {
                    if (cancelledUnsent.remove(token)) {
                        return Mono.error(new CancellationException("cancelled before it was sent"));
                    }
                    requestIds.put(token, request.id());
                    deliveries.put(token, delivery);
                }
                return transport.sendMessage(message)
                        .doOnSuccess(sent -> delivery.complete(null))
                        .doOnError(delivery::complete)
                        .doOnCancel(() -> delivery.complete(null));
            }
        }
        return transport.sendMessage(message);
    }

    /**
     * Fails when the transport could not be opened (a command that does not start, say). The SDK subscribes to the
     * opening itself and drops its error, so a handshake would otherwise wait out its whole timeout.
     */
    <T> Mono<T> failure() {
        return Mono.fromFuture(broken).flatMap(Mono::error);
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return transport.connect(handler).doOnError(broken::complete);
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        transport.setExceptionHandler(handler);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return transport.closeGracefully();
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return transport.unmarshalFrom(data, typeRef);
    }

    @Override
    public java.util.List<String> protocolVersions() {
        return transport.protocolVersions();
    }
}
