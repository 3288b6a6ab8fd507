package dev.agentchat.adapter.http;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/** Answers with a JSON document: the one way every endpoint sends one. */
public final class JsonResponses {
    private JsonResponses() {
    }

    public static void send(ServerResponse res, int status, String body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        res.send(body.getBytes(StandardCharsets.UTF_8));
    }
}
