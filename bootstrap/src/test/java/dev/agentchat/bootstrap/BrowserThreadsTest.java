package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.BrowserNames.button;
import static dev.agentchat.bootstrap.BrowserNames.control;
import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.model.Reply;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The agent picker, the thread sidebar and the addresses of the UI in a real Chromium: threads listed most
 * recent first and paged, opened with their whole history, deleted softly and then permanently after a
 * confirmation; a new chat; deep links, the back button, and the page of an agent that does not exist or is retired.
 */
class BrowserThreadsTest {
    private static final String AGENT = "support-triage";
    private static final String ADMIN_KEY = "admin-key-for-browser-tests";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @Test
    void the_sidebar_lists_threads_most_recent_first_and_opens_one_with_its_whole_history() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        String first = ask(service, "Thread one", "Answer one.");
        ask(service, "Thread two", "Answer two.");
        ask(service, "Thread three", "Answer three.");
        service.model.reply(Reply.text("Answer four."));
        service.postJson("/api/agents/" + AGENT + "/chat", body("message", "A follow-up", "thread_id", first, "stream", false));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.waitForThreadTitles(List.of("Thread one", "Thread three", "Thread two"));
        page.openThread("Thread one");

        page.waitForPath("/agents/" + AGENT + "/threads/" + first);
        page.browser.waitFor("the whole history of the thread", driver -> page.messages().stream()
                .map(BrowserChatPage.Shown::words).toList().equals(List.of("Thread one", "Answer one.", "A follow-up", "Answer four.")));
        assertThat(page.messages()).extracting(BrowserChatPage.Shown::role).containsExactly("user", "assistant", "user", "assistant");
        assertThat(page.messages()).extracting(BrowserChatPage.Shown::status).containsOnly("complete");
    }

    @Test
    void more_threads_pages_the_list_in_order() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        List<String> titles = IntStream.rangeClosed(1, 30).mapToObj(n -> "Topic %02d".formatted(n)).toList();
        titles.forEach(title -> ask(service, title, "Noted."));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);
        List<String> newestFirst = titles.reversed();

        List<String> firstPage = page.browser.waitFor("the first page of threads",
                driver -> page.threadTitles().isEmpty() ? null : page.threadTitles());
        assertThat(firstPage).as("a first page, not all thirty").hasSizeLessThan(30)
                .isEqualTo(newestFirst.subList(0, firstPage.size()));
        while (page.isShown(button("More threads"))) {
            int shown = page.threadTitles().size();
            page.click(button("More threads"));
            page.browser.waitFor("more threads after " + shown, driver -> page.threadTitles().size() > shown
                    || !page.isShown(button("More threads")));
        }

        assertThat(page.threadTitles()).isEqualTo(newestFirst);
    }

    @Test
    void a_thread_deleted_softly_shows_under_show_deleted_and_is_deleted_permanently_only_once_confirmed() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        ask(service, "Keep me", "Kept.");
        String doomed = ask(service, "Delete me", "Soon gone.");
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);
        page.waitForThreadTitles(List.of("Delete me", "Keep me"));

        page.click(button("Delete thread Delete me"));

        page.waitForThreadTitles(List.of("Keep me"));
        assertThat(BrowserApi.thread(service, AGENT, doomed).get("status").asText()).isEqualTo("deleted");
        page.click(control("Show deleted"));
        page.browser.waitFor("the deleted thread under Show deleted", driver -> page.threadTitles().contains("Delete me"));
        assertThat(page.threadTitles()).doesNotContain("Keep me");

        page.click(button("Delete permanently Delete me"));
        WebElement dialog = page.find(BrowserNames.region("Delete permanently?"));
        assertThat(dialog.getDomAttribute("role") == null ? dialog.getTagName() : dialog.getDomAttribute("role")).isEqualTo("dialog");
        dialog.findElement(button("Cancel")).click();
        page.browser.waitFor("the dialog to close", driver -> !page.isShown(BrowserNames.region("Delete permanently?")));
        assertThat(page.threadTitles()).contains("Delete me");
        assertThat(service.get(BrowserApi.threadPath(AGENT, doomed)).statusCode()).as("cancelled: still there").isEqualTo(200);

        page.click(button("Delete permanently Delete me"));
        page.find(BrowserNames.region("Delete permanently?")).findElement(button("Delete permanently")).click();

        page.browser.waitFor("the thread to leave the deleted view", driver -> !page.threadTitles().contains("Delete me"));
        assertThat(service.get(BrowserApi.threadPath(AGENT, doomed)).statusCode()).isEqualTo(404);
        page.click(control("Show deleted"));
        page.waitForThreadTitles(List.of("Keep me"));
    }

    @Test
    void new_chat_starts_an_empty_conversation_that_becomes_a_thread_at_the_top() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        String old = ask(service, "Old question", "Old answer.");
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT + "/threads/" + old);
        page.waitForAnswer("the old answer", answer -> answer.words().equals("Old answer."));

        page.click(button("New chat"));

        page.browser.waitFor("an empty conversation", driver -> page.messages().isEmpty());
        assertThat(page.threadId()).isEmpty();
        service.model.reply(Reply.text("New answer."));
        page.send("New question");
        page.waitForAnswer("complete", answer -> answer.status().equals("complete") && answer.words().equals("New answer."));
        String created = page.waitForThreadId();
        assertThat(created).isNotEqualTo(old);
        page.waitForThreadTitles(List.of("New question", "Old question"));
        assertThat(page.messages()).extracting(BrowserChatPage.Shown::words).containsExactly("New question", "New answer.");
    }

    @Test
    void the_picker_and_deep_links_lead_to_agent_pages_and_back_returns_to_the_previous_one() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        String thread = ask(service, "A deep-linked question", "A deep-linked answer.");
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/");
        assertThat(page.agentPicker().getOptions()).extracting(option -> option.getText().strip())
                .anySatisfy(text -> assertThat(text).startsWith("Support triage"))
                .anySatisfy(text -> assertThat(text).startsWith("Ops assistant"));

        page.chooseAgent("Ops assistant");
        page.waitForPath("/agents/ops-assistant");
        page.browser.waitFor("the agent's description", driver -> driver.findElement(org.openqa.selenium.By.tagName("body"))
                .getText().contains("Helps operators diagnose and run Azure workloads safely."));
        page.chooseAgent("Support triage");
        page.waitForPath("/agents/support-triage");
        page.driver().navigate().back();
        page.waitForPath("/agents/ops-assistant");
        page.browser.waitFor("the picker to show the agent of the page", driver -> page.chosenAgent().startsWith("Ops assistant"));
        page.driver().navigate().back();
        page.waitForPath("/");

        page.open("/agents/ops-assistant");
        page.browser.waitFor("a deep link to choose its agent", driver -> page.chosenAgent().startsWith("Ops assistant"));
        page.open("/agents/" + AGENT + "/threads/" + thread);
        page.browser.waitFor("a deep link to a thread to show it", driver -> page.messages().stream()
                .map(BrowserChatPage.Shown::words).toList().equals(List.of("A deep-linked question", "A deep-linked answer.")));
        assertThat(page.chosenAgent()).startsWith("Support triage");
    }

    @Test
    void the_page_of_an_agent_that_does_not_exist_or_is_retired_says_so() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest(Map.of("ADMIN_API_KEY", ADMIN_KEY), UnaryOperator.identity()));
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/api/agents/news-digest"))
                .header("Authorization", "Bearer " + ADMIN_KEY).DELETE()).statusCode()).isEqualTo(200);
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service);

        page.open("/agents/no-such-agent");
        assertThat(page.waitForAlert()).matches("(?i).*(does not exist|doesn't exist|not found|no agent|unknown).*");

        page.open("/agents/news-digest");
        assertThat(page.waitForAlert()).matches("(?i).*retired.*");
        assertThat(page.agentPicker().getOptions()).extracting(option -> option.getText().strip())
                .noneSatisfy(text -> assertThat(text).startsWith("News digest"))
                .anySatisfy(text -> assertThat(text).startsWith("Support triage"));
    }

    /** Opens a thread titled {@code question} whose answer is {@code answer}, and returns its id. */
    private static String ask(ServiceUnderTest service, String question, String answer) {
        service.model.reply(Reply.text(answer));
        return BrowserApi.openThread(service, AGENT, question);
    }
}
