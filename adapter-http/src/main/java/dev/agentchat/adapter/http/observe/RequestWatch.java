package dev.agentchat.adapter.http.observe;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import dev.agentchat.ports.time.Clock;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches every request from its first filter to its answer's last byte: an observation of the
 * {@link Telemetry}, current on the handler's thread while it works (so the run a chat starts is begun within
 * it), ended with the status and the route's template; and the request's {@linkplain AccessLog access log} line.
 *
 * <p>It is the first filter, so that requests the later ones refuse (a missing credential, an unreadable header)
 * are watched too. The answer's end is told by Helidon ({@code whenSent}), not by the filter chain's return: an
 * exception the chain throws is answered by the error handlers only after this filter has returned, and an event
 * stream is sent when its last chunk is, on the thread that streamed it.
 */
public final class RequestWatch implements Filter {
    private final Telemetry telemetry;
    private final Clock clock;
    private final boolean accessLog;

    public RequestWatch(Telemetry telemetry, Clock clock, boolean accessLog) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accessLog = accessLog;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long began = clock.nanoTime();
        String method = req.prologue().method().text();
        MatchedRoute route = MatchedRoute.await();
        Observation request = telemetry.begin(new Work.HttpRequest(method, req.prologue().uriPath().rawPathNoParams(),
                req.isSecure() ? "https" : "http", name -> req.headers().first(HeaderNames.create(name))));
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                answered(req, res, method, route.template(), began, request);
            }
        };
        res.whenSent(end);
        try (Observation.Scope current = request.makeCurrent()) {
            try {
                chain.proceed();
            } finally {
                MatchedRoute.release();
            }
            // The chain returned without an exception, so the answer was sent, or its sending failed (the client
            // left): then Helidon never tells, and the request ends here.
            end.run();
        }
    }

    private void answered(RoutingRequest req, RoutingResponse res, String method, Optional<String> route, long began,
                          Observation request) {
        int status = res.status().code();
        // Written before the request's observation ends, while it is still current where the answer was sent (the
        // handler's thread, for an answer its route sent): the line then carries the request's trace ids.
        if (accessLog) {
            long millis = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - began);
            AccessLog.write(new AccessLog.Line(method, route, req.prologue().uriPath().rawPathNoParams(), status, millis,
                    bytesSent(res)));
        }
        request.end(new Outcome.Responded(status, route));
    }

    /** What Helidon counted; an event stream writes its chunks to the connection itself, past the count. */
    private static OptionalLong bytesSent(RoutingResponse res) {
        boolean eventStream = res.headers().contentType()
                .map(type -> type.mediaType().equals(MediaTypes.TEXT_EVENT_STREAM)).orElse(false);
        return eventStream ? OptionalLong.empty() : OptionalLong.of(res.bytesWritten());
    }
}
