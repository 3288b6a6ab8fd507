package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.BrowserNames.button;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tool call that needs a person's approval, in a real Chromium against the service as deployed by default (the
 * offline demo model and the seeded agents, whose {@code ops-assistant} may use the calculator only once a person
 * approves): the call waits with its arguments and {@code Approve} and {@code Deny}, a reload offers them again, and
 * the answer goes on with the call's result, or without it once denied; Stop ends a run that waits.
 */
class BrowserApprovalTest {
    private static final String AGENT = "ops-assistant";
    private static final String QUESTION = "What is 12 * 7?";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @Test
    void a_waiting_call_is_offered_again_after_a_reload_and_approving_it_puts_its_result_in_the_answer() {
        ServiceAsDeployed service = browsers.serving(ServiceAsDeployed.start(Settings.forTests(Map.of())));
        Browser desktop = browsers.desktop();
        BrowserChatPage page = new BrowserChatPage(desktop, service).open("/agents/" + AGENT);

        page.send(QUESTION);

        BrowserChatPage.ToolCall waiting = page.waitForOnlyToolCall("awaiting_approval");
        // Saved for whoever changes the page to look at, as the chat's screenshots are.
        desktop.screenshot(BrowserScreenshotsTest.SCREENSHOTS.resolve("approval-desktop.png"));
        assertThat(waiting.text()).contains("calculator").contains("\"expression\": \"12 * 7\"");
        assertThat(page.approvalOf("calculator").getText()).contains("Approve", "Deny", "Decide by");
        assertThat(page.isShown(button("Stop"))).as("Stop is offered while the run waits").isTrue();
        String threadId = page.waitForThreadId();
        JsonNode run = onlyRun(service, threadId);
        assertThat(run.get("status").asText()).isEqualTo("requires_action");
        assertThat(run.get("pending_approvals")).singleElement().satisfies(pending -> {
            assertThat(pending.get("step_id").asText()).isEqualTo(waiting.step());
            assertThat(pending.get("tool").asText()).isEqualTo("calculator");
        });

        page.driver().navigate().refresh();

        assertThat(page.waitForOnlyToolCall("awaiting_approval").step()).isEqualTo(waiting.step());
        page.decide("calculator", "Approve");

        BrowserChatPage.Shown answer = page.waitForAnswer("complete", shown -> shown.status().equals("complete"));
        assertThat(answer.words()).contains("84");
        BrowserChatPage.ToolCall approved = page.waitForOnlyToolCall("completed");
        assertThat(approved.text()).contains("84");
        assertThat(page.isShown(button("Approve"))).as("nothing is left to approve").isFalse();
        JsonNode thread = BrowserApi.thread(service.client(), AGENT, threadId);
        assertThat(BrowserChatPage.Shown.words(BrowserApi.lastAnswer(thread).get("content").asText())).isEqualTo(answer.words());
        assertThat(BrowserApi.steps(thread, "tool_call")).singleElement().satisfies(step -> {
            assertThat(step.get("status").asText()).isEqualTo("completed");
            assertThat(step.get("approval").get("approved").asBoolean()).isTrue();
        });
    }

    @Test
    void a_denied_call_shows_as_denied_and_the_answer_goes_on_without_its_result() {
        ServiceAsDeployed service = browsers.serving(ServiceAsDeployed.start(Settings.forTests(Map.of())));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.send(QUESTION);
        page.waitForOnlyToolCall("awaiting_approval");
        page.decide("calculator", "Deny");

        BrowserChatPage.Shown answer = page.waitForAnswer("complete", shown -> shown.status().equals("complete"));
        // The demo model quotes what it was told instead of the result: that the person denied the call.
        assertThat(answer.words()).contains("denied").doesNotContain("84");
        BrowserChatPage.ToolCall denied = page.waitForOnlyToolCall("denied");
        assertThat(denied.text()).contains("Denied", "Not run", "denied this tool call");
        JsonNode thread = BrowserApi.thread(service.client(), AGENT, page.waitForThreadId());
        assertThat(BrowserApi.runs(thread)).extracting(run -> run.get("status").asText()).containsExactly("completed");
        assertThat(BrowserApi.steps(thread, "tool_call")).singleElement().satisfies(step -> {
            assertThat(step.get("status").asText()).isEqualTo("denied");
            assertThat(step.get("approval").get("approved").asBoolean()).isFalse();
        });
    }

    @Test
    void stop_ends_a_run_that_waits_for_a_decision() {
        ServiceAsDeployed service = browsers.serving(ServiceAsDeployed.start(Settings.forTests(Map.of())));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.send(QUESTION);
        page.waitForOnlyToolCall("awaiting_approval");
        page.click(button("Stop"));

        page.waitForOnlyToolCall("cancelled");
        page.browser.waitFor("Stop to go once the run is stopped", driver -> !page.isShown(button("Stop")));
        assertThat(page.isShown(button("Approve"))).as("nothing is left to approve").isFalse();
        assertThat(onlyRun(service, page.waitForThreadId()).get("status").asText()).isEqualTo("cancelled");
    }

    private static JsonNode onlyRun(ServiceAsDeployed service, String threadId) {
        List<JsonNode> runs = BrowserApi.runs(BrowserApi.thread(service.client(), AGENT, threadId));
        assertThat(runs).hasSize(1);
        return runs.getFirst();
    }
}
