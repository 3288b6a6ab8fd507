package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.BrowserNames.button;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.DemoChatModel;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The conversation in a real Chromium against the real service: an answer streams in and ends as the stored
 * message, the demo model's tool call shows with its output, Markdown renders, the keyboard sends, and a
 * failed run is explained in words with a retry.
 */
class BrowserChatTest {
    private static final String AGENT = "support-triage";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @Test
    void an_answer_is_shown_as_it_streams_and_ends_as_the_stored_message() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        CompletableFuture<Void> secondHalf = new CompletableFuture<>();
        service.model.reply(Reply.builder().text("The first half ").text("of the answer, ").await(secondHalf)
                .text("and then ").text("the second half.").usage(Usage.reported(12, 8)).finish(FinishReason.STOP).build());
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.send("Tell me something in two halves");

        page.waitForAnswer("streaming its first half",
                answer -> answer.isStreaming() && answer.words().equals("The first half of the answer,"));
        assertThat(page.isShown(button("Stop"))).as("Stop is offered while the answer streams").isTrue();
        secondHalf.complete(null);
        BrowserChatPage.Shown shown = page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        JsonNode stored = BrowserApi.lastAnswer(BrowserApi.thread(service, AGENT, page.waitForThreadId()));
        assertThat(shown.words()).isEqualTo("The first half of the answer, and then the second half.")
                .isEqualTo(BrowserChatPage.Shown.words(stored.get("content").asText()));
        assertThat(shown.id()).isEqualTo(stored.get("id").asText());
        page.browser.waitFor("Stop to go once the answer is complete", driver -> !page.isShown(button("Stop")));
        assertThat(page.messages()).extracting(BrowserChatPage.Shown::role).containsExactly("user", "assistant");
        assertThat(page.messages().getFirst().words()).isEqualTo("Tell me something in two halves");
    }

    @Test
    void the_demo_models_tool_call_shows_with_its_output_and_the_answer_equals_the_stored_one() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest(
                wiring -> wiring.model(new DemoChatModel(Duration.ofMillis(20)))));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.send("What time is it?");

        BrowserChatPage.Shown shown = page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        JsonNode thread = BrowserApi.thread(service, AGENT, page.waitForThreadId());
        assertThat(shown.words()).isEqualTo(BrowserChatPage.Shown.words(BrowserApi.lastAnswer(thread).get("content").asText()));
        JsonNode toolStep = BrowserApi.steps(thread, "tool_call").getFirst();
        String date = ServiceUnderTest.parse(toolStep.get("output").asText()).get("date").asText();
        List<BrowserChatPage.ToolCall> calls = page.browser.waitFor("the tool call to be shown completed",
                driver -> page.toolCalls().stream().anyMatch(call -> call.status().equals("completed")) ? page.toolCalls() : null);
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.text()).contains("current_time").contains(date);
            assertThat(call.step()).isEqualTo(toolStep.get("id").asText());
        });
        assertThat(calls.getFirst().text()).as("its latency").containsPattern("\\d+(\\.\\d+)? (ms|s)\\b");
        // The run's model calls (model, tokens in and out) come from the thread read once the run has ended.
        String region = page.browser.waitFor("the run's model calls to be shown",
                driver -> page.toolCallsRegion().contains("offline-demo") ? page.toolCallsRegion() : null);
        List<JsonNode> modelCalls = BrowserApi.steps(thread, "model_call");
        assertThat(modelCalls).hasSize(2);
        for (JsonNode modelCall : modelCalls) {
            assertThat(region).contains(modelCall.get("usage").get("prompt_tokens").asText() + " / "
                    + modelCall.get("usage").get("completion_tokens").asText());
        }
    }

    @Test
    void an_answer_renders_as_markdown_with_a_table_a_list_and_highlighted_code() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        // Split where a renderer that works on whole pieces would go wrong: inside a table row and a fence.
        service.model.reply(Reply.text("Here is what I found:\n\n| Region | Status |\n|---", "---|---|\n| westeu", "rope | down |\n",
                "| eastus | up |\n\n- first step\n- second ", "step\n\n```java\nclass Probe {\n    int", " tries = 3;\n}\n```\n"));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.send("Which regions are down?");

        page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        WebElement body = lastAnswerBody(page);
        assertThat(body.findElements(By.cssSelector("table th"))).extracting(WebElement::getText).containsExactly("Region", "Status");
        assertThat(body.findElements(By.cssSelector("table tbody tr"))).extracting(row -> BrowserChatPage.Shown.words(row.getText()))
                .containsExactly("westeurope down", "eastus up");
        assertThat(body.findElements(By.cssSelector("ul > li"))).extracting(WebElement::getText).containsExactly("first step", "second step");
        WebElement code = body.findElement(By.cssSelector("pre code"));
        assertThat(code.getText()).isEqualTo("class Probe {\n    int tries = 3;\n}");
        assertThat(code.findElements(By.cssSelector("[class^='hljs-'], [class*=' hljs-']")))
                .as("the code is highlighted").isNotEmpty();
    }

    @Test
    void enter_sends_and_shift_enter_adds_a_line_to_the_message() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        service.model.reply(Reply.text("Noted."));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);
        WebElement box = page.messageBox();

        box.sendKeys("first line");
        box.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
        box.sendKeys("second line");
        assertThat(box.getDomProperty("value")).isEqualTo("first line\nsecond line");
        assertThat(page.messages()).as("Shift+Enter sends nothing").isEmpty();
        box.sendKeys(Keys.ENTER);

        page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        JsonNode thread = BrowserApi.thread(service, AGENT, page.waitForThreadId());
        assertThat(BrowserApi.messages(thread, "user")).singleElement()
                .satisfies(sent -> assertThat(sent.get("content").asText()).isEqualTo("first line\nsecond line"));
        assertThat(page.messages().getFirst().text()).contains("first line\nsecond line");
        assertThat(page.messageBox().getDomProperty("value")).as("the box is emptied once sent").isEmpty();
    }

    @Test
    void a_failed_run_is_explained_in_words_and_retry_sends_again() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        service.model.reply(Reply.builder().fail("model_unavailable", "The model service could not be reached.").build());
        service.model.reply(Reply.text("It works ", "now."));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.send("Are you there?");

        String alert = page.waitForAlert();
        assertThat(alert).as("said in words, not as JSON").doesNotContain("{", "\"code\"")
                .matches(".*\\p{L}{3,}.*");
        page.click(button("Retry"));
        BrowserChatPage.Shown shown = page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        assertThat(shown.words()).isEqualTo("It works now.");
        page.browser.waitFor("the alert to go once the retry succeeded", driver -> page.alerts().isEmpty());
        JsonNode thread = BrowserApi.thread(service, AGENT, page.waitForThreadId());
        assertThat(BrowserApi.runs(thread)).extracting(run -> run.get("status").asText()).containsExactly("failed", "completed");
        assertThat(BrowserApi.lastAnswer(thread).get("content").asText()).isEqualTo("It works now.");
    }

    private static WebElement lastAnswerBody(BrowserChatPage page) {
        List<WebElement> bodies = page.driver().findElements(By.cssSelector("[role=log] article[data-role=assistant] .message-body"));
        assertThat(bodies).as("an answer's .message-body").isNotEmpty();
        return bodies.getLast();
    }
}
