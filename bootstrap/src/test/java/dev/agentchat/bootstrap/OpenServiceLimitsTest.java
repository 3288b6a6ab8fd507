package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.ports.chat.ChatSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The limit on a user's active runs, when authentication is off: every caller is then the one anonymous
 * user, so the limit would cap the whole instance; it applies only when set explicitly.
 */
class OpenServiceLimitsTest {
    private static final int MORE_THAN_THE_DEFAULT = ChatSettings.DEFAULT_MAX_ACTIVE_RUNS_PER_USER + 2;

    @Test
    void an_open_service_runs_more_chats_at_once_than_one_users_limit() {
        try (ServiceUnderTest service = new ServiceUnderTest()) {
            assertThat(statusesOfHeldChats(service)).containsOnly(200);
        }
    }

    @Test
    void an_open_service_keeps_a_limit_set_explicitly() {
        try (ServiceUnderTest service = new ServiceUnderTest(Map.of("MAX_ACTIVE_RUNS_PER_USER", "2"),
                components -> components)) {
            assertThat(statusesOfHeldChats(service)).containsExactly(200, 200, 429, 429, 429, 429);
        }
    }

    /** Opens chats that hold their runs until all are open, then lets them end; the status each got. */
    private static List<Integer> statusesOfHeldChats(ServiceUnderTest service) {
        CompletableFuture<Void> release = new CompletableFuture<>();
        for (int i = 0; i < MORE_THAN_THE_DEFAULT; i++) {
            service.model.reply(Reply.builder().text("Held ").await(release).text("answer.").finish(FinishReason.STOP).build());
        }
        List<SseStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < MORE_THAN_THE_DEFAULT; i++) {
                streams.add(service.chat("support-triage", ServiceUnderTest.body("message", "Question " + i)));
            }
            return streams.stream().map(stream -> stream.response.statusCode()).toList();
        } finally {
            release.complete(null);
            streams.forEach(SseStream::close);
        }
    }
}
