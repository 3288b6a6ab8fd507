package dev.agentchat.adapter.http.agui;

import dev.agentchat.adapter.http.AcceptHeader;
import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.PathIds;
import dev.agentchat.adapter.http.agui.RunAgentInput.Answers;
import dev.agentchat.adapter.http.agui.RunAgentInput.NewMessage;
import dev.agentchat.adapter.http.chat.OpenStreams;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ApprovalExpired;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.refusal.RunNotFound;
import dev.agentchat.domain.refusal.ThreadBusy;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.chat.ApprovalChoice;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ClientResume;
import dev.agentchat.ports.chat.ResumeClientThread;
import dev.agentchat.ports.chat.StartChat;
import dev.agentchat.ports.run.ReadRun;
import dev.agentchat.ports.thread.ClientThreadKey;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.time.Clock;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/agents/{agentId}/ag-ui}: the chat turn for AG-UI clients (CopilotKit, {@code @ag-ui/client}'s
 * HttpAgent). The same turn as the chat route, for the same caller, with the same checks; only the request's
 * shape and the events' encoding differ. What is refused before the run starts is a problem with its status,
 * which AG-UI clients surface as an error; a run that fails once streaming ends with {@code RUN_ERROR}.
 *
 * <p>A run that pauses (a call waits for approval, or for the client's own tool) ends its stream there, with
 * {@code RUN_FINISHED} saying what it waits on; the client's next request answers it ({@code resume}, or
 * {@code tool} messages) and streams the run on from the pause. Input that does not fit the thread's state,
 * as AG-UI's contract has it, is answered with a stream of one {@code RUN_ERROR} and stores nothing: a new
 * message while the run waits, answers that leave a waiting call out or name another, answers to a run that
 * no longer waits, or that come after its calls expired.
 */
public final class AgUiHttpService implements HttpService {
    private final StartChat startChat;
    private final ResumeClientThread resumeClientThread;
    private final ReadRun readRun;
    private final Caller caller;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final int maxBodyBytes;
    private final OpenStreams streams;

    public AgUiHttpService(StartChat startChat, ResumeClientThread resumeClientThread, ReadRun readRun, Caller caller,
                           Clock clock, Duration heartbeatInterval, int maxBodyBytes, OpenStreams streams) {
        this.startChat = startChat;
        this.resumeClientThread = resumeClientThread;
        this.readRun = readRun;
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
        AgentId agentId = PathIds.agent(req);
        RunAgentInput input = RunAgentInput.from(JsonRequests.readObject(req, maxBodyBytes));
        AcceptHeader.require(req, MediaTypes.TEXT_EVENT_STREAM);
        UserId user = caller.identify(req);
        switch (input.turn()) {
            case NewMessage message -> chat(agentId, user, input, message, res);
            case Answers answers -> resume(agentId, user, input, answers, res);
        }
    }

    private void chat(AgentId agentId, UserId user, RunAgentInput input, NewMessage message, ServerResponse res) {
        // The client's thread id is its own name for the thread: the same name of the same caller continues it.
        ChatCommand command = ChatCommand.toClientThread(agentId, user, input.threadId(), message.text(),
                Optional.empty(), input.tools());
        try (AgUiEventSink sink = new AgUiEventSink(res, clock, heartbeatInterval, streams, input.threadId(),
                input.runId())) {
            ChatOutcome outcome;
            try {
                outcome = startChat.chat(command, sink);
            } catch (ThreadBusy busy) {
                if (!waits(agentId, user, busy)) {
                    throw busy;
                }
                sink.refuseUnopened("The thread's run waits for answers to the calls it paused at: answer "
                        + "them first, in a request of their own ('resume' entries for interrupts, 'tool' messages at "
                        + "the end of 'messages' for your own tools), then send the new message.", "interrupts_pending");
                return;
            }
            endAtPause(outcome, sink);
            sink.complete();
        }
    }

    private void resume(AgentId agentId, UserId user, RunAgentInput input, Answers answers, ServerResponse res) {
        List<ApprovalChoice> choices;
        try {
            choices = answers.answers().stream().map(RunAgentInput.Answer::choice).toList();
        } catch (IllegalArgumentException e) {
            AgUiEventSink.refuse(res, clock, "An answer names a call the thread's run does not wait on.", "invalid_resume");
            return;
        }
        ClientResume resume = new ClientResume(agentId, user, new ClientThreadKey(input.threadId()), choices);
        try (AgUiEventSink sink = new AgUiEventSink(res, clock, heartbeatInterval, streams, input.threadId(),
                input.runId(), answers.callIds(), answers.clientResults())) {
            ChatOutcome outcome;
            try {
                outcome = resumeClientThread.resume(resume, sink);
            } catch (ThreadNotFound | ApprovalConflict nothingWaits) {
                sink.refuseUnopened("Nothing on this thread waits for these answers: "
                        + nothingWaits.getMessage(), "stale_resume");
                return;
            } catch (InvalidApprovals invalid) {
                sink.refuseUnopened(invalid.getMessage(), "invalid_resume");
                return;
            } catch (ApprovalExpired expired) {
                sink.refuseUnopened(expired.getMessage(), "interrupt_expired");
                return;
            }
            endAtPause(outcome, sink);
            sink.complete();
        }
    }

    /** A run that paused again ends its stream with what it waits on; one that ended told so itself. */
    private static void endAtPause(ChatOutcome outcome, AgUiEventSink sink) {
        if (outcome instanceof ChatOutcome.AwaitingApproval paused) {
            sink.interrupted(paused.run());
        }
    }

    /** Whether the run that keeps the thread busy waits for answers, rather than going on. */
    private boolean waits(AgentId agentId, UserId user, ThreadBusy busy) {
        try {
            return readRun.readRun(new ThreadRef(agentId, user, busy.threadId()), busy.runId()).run().status()
                    == RunStatus.REQUIRES_ACTION;
        } catch (RunNotFound gone) {
            return false;
        }
    }
}
