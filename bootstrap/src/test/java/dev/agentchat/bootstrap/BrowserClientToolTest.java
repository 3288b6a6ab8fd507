package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.BrowserNames.button;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call of a tool an AG-UI front end declared, as the browser shows the thread, in a real Chromium against the
 * service as deployed by default: while the run waits for the app's result the call says it waits for the app, with
 * no {@code Approve} (nobody here runs that tool); once the app sends the result, the open page shows the answer.
 */
class BrowserClientToolTest {
    private static final String AGENT = "support-triage";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @Test
    void a_call_of_the_apps_own_tool_waits_for_the_app_without_approve_and_its_result_carries_the_answer_on() {
        ServiceAsDeployed service = browsers.serving(ServiceAsDeployed.start(Settings.forTests(Map.of())));
        ObjectNode input = JSON.createObjectNode().put("threadId", "browser-app-thread").put("runId", "run-1");
        input.putArray("messages").addObject().put("id", "u1").put("role", "user")
                .put("content", "Please call get_location for me");
        input.putArray("tools").addObject().put("name", "get_location").put("description", "Where the user is.")
                .putObject("parameters").put("type", "object").putObject("properties");
        List<JsonNode> first = agUi(service, input);
        JsonNode finished = first.getLast();
        assertThat(finished.get("type").asText()).isEqualTo("RUN_FINISHED");
        String call = finished.get("outcome").get("pendingToolCallIds").get(0).asText();
        String threadId = first.getFirst().get("metadata").get("agentchat_thread_id").asText();

        Browser desktop = browsers.desktop();
        BrowserChatPage page = new BrowserChatPage(desktop, service).open("/agents/" + AGENT + "/threads/" + threadId);
        BrowserChatPage.ToolCall waiting = page.waitForOnlyToolCall("awaiting_result");
        // Saved for whoever changes the page to look at, as the chat's screenshots are.
        desktop.screenshot(BrowserScreenshotsTest.SCREENSHOTS.resolve("app-call-desktop.png"));

        assertThat(waiting.step()).isEqualTo(call);
        assertThat(waiting.text()).contains("Waiting for the app to run get_location");
        assertThat(page.isShown(button("Approve"))).as("nobody here runs the app's tool").isFalse();

        ObjectNode answer = input.deepCopy().put("runId", "run-2");
        answer.withArray("messages").addObject().put("id", "a1").put("role", "assistant").put("content", "")
                .putArray("toolCalls").addObject().put("id", call).put("type", "function")
                .putObject("function").put("name", "get_location").put("arguments", "{}");
        answer.withArray("messages").addObject().put("id", "t1").put("role", "tool").put("toolCallId", call)
                .put("content", "Lisbon");
        assertThat(agUi(service, answer).getLast().get("type").asText()).isEqualTo("RUN_FINISHED");

        BrowserChatPage.Shown shown = page.waitForAnswer("complete", message -> message.status().equals("complete"));
        assertThat(shown.words()).contains("Lisbon");
        assertThat(page.waitForOnlyToolCall("completed").text()).contains("Lisbon");
    }

    /** Runs the AG-UI route to the end of its stream, as the service's own user, and returns its events. */
    private static List<JsonNode> agUi(ServiceAsDeployed service, ObjectNode input) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(service.client().uri("/api/agents/" + AGENT + "/ag-ui"))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(input.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Arrays.stream(response.body().split("\n\n"))
                    .flatMap(frame -> frame.lines().filter(line -> line.startsWith("data: ")))
                    .map(line -> parse(line.substring("data: ".length()))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
