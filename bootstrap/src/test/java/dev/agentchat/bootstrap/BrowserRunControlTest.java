package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.BrowserNames.button;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run seen from the browser while it goes on: stopped with {@code Stop}, re-joined after a reload or from a
 * second browser with no word lost or repeated, and followed (not failed) by a browser whose message meets it.
 */
class BrowserRunControlTest {
    private static final String AGENT = "support-triage";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @Test
    void stop_cancels_the_run_and_the_partial_answer_stays_as_stored() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        service.model.reply(Reply.builder().text("A partial ").text("answer so far").hang().build());
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);
        page.send("Start something long");
        page.waitForAnswer("streaming", answer -> answer.isStreaming() && answer.words().equals("A partial answer so far"));

        page.click(button("Stop"));

        BrowserChatPage.Shown stopped = page.waitForAnswer("stopped",
                answer -> List.of("cancelled", "incomplete").contains(answer.status()));
        String threadId = page.waitForThreadId();
        JsonNode thread = Await.read(() -> BrowserApi.thread(service, AGENT, threadId),
                read -> BrowserApi.runs(read).getLast().get("status").asText().equals("cancelled"), Browser.PATIENCE);
        assertThat(BrowserApi.runs(thread)).singleElement().satisfies(run -> assertThat(run.get("status").asText()).isEqualTo("cancelled"));
        JsonNode stored = BrowserApi.lastAnswer(thread);
        assertThat(stored.get("status").asText()).isEqualTo("incomplete");
        assertThat(stopped.words()).isEqualTo(BrowserChatPage.Shown.words(stored.get("content").asText()))
                .isEqualTo("A partial answer so far");
        page.browser.waitFor("Stop to go once the run is stopped", driver -> !page.isShown(button("Stop")));
        assertThat(page.lastAnswer()).hasValueSatisfying(answer -> assertThat(answer.words()).isEqualTo("A partial answer so far"));
    }

    @Test
    void a_reload_in_the_middle_of_an_answer_rejoins_it_with_no_word_lost_or_repeated() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        CompletableFuture<Void> aroundTheReload = new CompletableFuture<>();
        CompletableFuture<Void> afterTheReload = new CompletableFuture<>();
        service.model.reply(countingReply(aroundTheReload, afterTheReload));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);
        page.send("Count to sixty");
        page.waitForAnswer("streaming", answer -> answer.isStreaming() && answer.words().equals(words(1, 10)));
        String threadId = page.waitForThreadId();

        // Words 11 to 40 stream while the page goes and comes back: the reloaded page must get them from the
        // run's events, with the ones it had already drawn before, once each.
        aroundTheReload.complete(null);
        page.driver().navigate().refresh();

        page.waitForAnswer("streaming again after the reload, up to word 40",
                answer -> answer.isStreaming() && answer.words().equals(words(1, 40)));
        afterTheReload.complete(null);
        BrowserChatPage.Shown done = page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        JsonNode thread = BrowserApi.thread(service, AGENT, threadId);
        assertThat(done.words()).isEqualTo(words(1, 60))
                .isEqualTo(BrowserChatPage.Shown.words(BrowserApi.lastAnswer(thread).get("content").asText()));
        assertThat(page.path()).isEqualTo("/agents/" + AGENT + "/threads/" + threadId);
        assertThat(page.messages()).extracting(BrowserChatPage.Shown::role).containsExactly("user", "assistant");
    }

    @Test
    void the_thread_opened_in_a_second_browser_while_it_streams_shows_the_whole_answer() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        CompletableFuture<Void> second = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        service.model.reply(countingReply(second, third));
        BrowserChatPage first = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);
        first.send("Count to sixty");
        first.waitForAnswer("streaming", answer -> answer.isStreaming() && answer.words().equals(words(1, 10)));
        String threadId = first.waitForThreadId();

        BrowserChatPage other = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT + "/threads/" + threadId);

        other.waitForAnswer("streaming what was said so far", answer -> answer.isStreaming() && answer.words().equals(words(1, 10)));
        second.complete(null);
        other.waitForAnswer("streaming on", answer -> answer.isStreaming() && answer.words().equals(words(1, 40)));
        third.complete(null);
        String stored = BrowserChatPage.Shown.words(BrowserApi.lastAnswer(
                Await.read(() -> BrowserApi.thread(service, AGENT, threadId), read -> read.get("active_run_id") == null
                        || read.get("active_run_id").isNull(), Browser.PATIENCE)).get("content").asText());
        for (BrowserChatPage page : List.of(first, other)) {
            BrowserChatPage.Shown done = page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
            assertThat(done.words()).as(page.browser.name).isEqualTo(words(1, 60)).isEqualTo(stored);
            assertThat(page.messages()).extracting(BrowserChatPage.Shown::role).containsExactly("user", "assistant");
        }
    }

    @Test
    void a_message_to_a_thread_whose_run_is_busy_follows_that_run_instead_of_failing() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        service.model.reply(Reply.text("First answer."));
        String threadId = BrowserApi.openThread(service, AGENT, "First question");
        CompletableFuture<Void> rest = new CompletableFuture<>();
        service.model.reply(Reply.builder().text("The running ").text("answer").await(rest).text(" ends here.")
                .usage(Usage.reported(10, 5)).finish(FinishReason.STOP).build());
        String threadPage = "/agents/" + AGENT + "/threads/" + threadId;
        BrowserChatPage asking = new BrowserChatPage(browsers.desktop(), service).open(threadPage);
        BrowserChatPage meeting = new BrowserChatPage(browsers.desktop(), service).open(threadPage);
        meeting.waitForAnswer("the first answer", answer -> answer.words().equals("First answer."));
        asking.waitForAnswer("the first answer", answer -> answer.words().equals("First answer."));

        asking.send("Second question");
        asking.waitForAnswer("streaming", answer -> answer.isStreaming() && answer.words().equals("The running answer"));
        meeting.send("A question of my own");

        meeting.waitForAnswer("following the running answer",
                answer -> answer.isStreaming() && answer.words().equals("The running answer"));
        assertThat(meeting.messageBox().getDomProperty("value")).as("the message not sent is kept").isEqualTo("A question of my own");
        rest.complete(null);
        for (BrowserChatPage page : List.of(asking, meeting)) {
            assertThat(page.waitForAnswer("complete", answer -> answer.status().equals("complete")).words())
                    .as(page.browser.name).isEqualTo("The running answer ends here.");
        }
        JsonNode thread = BrowserApi.thread(service, AGENT, threadId);
        assertThat(BrowserApi.messages(thread, "user")).extracting(message -> message.get("content").asText())
                .containsExactly("First question", "Second question");
        assertThat(BrowserApi.runs(thread)).hasSize(2);
        assertThat(meeting.messages()).extracting(BrowserChatPage.Shown::words)
                .containsExactly("First question", "First answer.", "Second question", "The running answer ends here.");
    }

    /**
     * Sixty words, "w1 w2 ... w60": ten at once, then ten a cue {@code first} releases, thirty more with short
     * pauses, then twenty once {@code second} releases.
     */
    private static Reply countingReply(CompletableFuture<Void> first, CompletableFuture<Void> second) {
        Reply.Builder reply = Reply.builder();
        for (int word = 1; word <= 60; word++) {
            if (word == 11) {
                reply.await(first);
            } else if (word == 41) {
                reply.await(second);
            } else if (word > 20 && word <= 40) {
                reply.pause(Duration.ofMillis(15));
            }
            reply.text("w" + word + (word < 60 ? " " : "."));
        }
        return reply.usage(Usage.reported(20, 60)).finish(FinishReason.STOP).build();
    }

    /** The words {@code from} to {@code to} of {@link #countingReply}, as shown. */
    private static String words(int from, int to) {
        String words = IntStream.rangeClosed(from, to).mapToObj(word -> "w" + word).collect(Collectors.joining(" "));
        return to == 60 ? words + "." : words;
    }
}
