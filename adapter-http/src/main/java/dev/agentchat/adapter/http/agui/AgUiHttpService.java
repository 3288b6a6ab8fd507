package dev.agentchat.adapter.http.agui;

import dev.agentchat.adapter.http.AcceptHeader;
import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.PathIds;
import dev.agentchat.adapter.http.chat.OpenStreams;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.StartChat;
import dev.agentchat.ports.time.Clock;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /api/agents/{agentId}/ag-ui}: the chat turn for AG-UI clients (CopilotKit, {@code @ag-ui/client}'s
 * HttpAgent). The same turn as the chat route, for the same caller, with the same checks; only the request's
 * shape and the events' encoding differ. What is refused before the run starts is a problem with its status,
 * which AG-UI clients surface as an error; a run that fails once streaming ends with {@code RUN_ERROR}.
 */
public final class AgUiHttpService implements HttpService {
    private final StartChat startChat;
    private final Caller caller;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final int maxBodyBytes;
    private final OpenStreams streams;

    public AgUiHttpService(StartChat startChat, Caller caller, Clock clock, Duration heartbeatInterval, int maxBodyBytes,
                           OpenStreams streams) {
        this.startChat = startChat;
        this.caller = caller;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.maxBodyBytes = maxBodyBytes;
        this.streams = streams;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{agentId}/ag-ui", this::run)
                .any("/{agentId}/ag-ui", (req, res) -> Problems.methodNotAllowed(res, "POST"));
    }

    private void run(ServerRequest req, ServerResponse res) {
        var agentId = PathIds.agent(req);
        RunAgentInput input = RunAgentInput.from(JsonRequests.readObject(req, maxBodyBytes));
        AcceptHeader.require(req, MediaTypes.TEXT_EVENT_STREAM);
        // The client's thread id is its own name for the thread: the same name of the same caller continues it.
        ChatCommand command = ChatCommand.toClientThread(agentId, caller.identify(req), input.threadId(), input.message(),
                Optional.empty());
        try (AgUiEventSink sink = new AgUiEventSink(res, clock, heartbeatInterval, streams, input.threadId(),
                input.runId())) {
            startChat.chat(command, sink);
        }
    }
}
