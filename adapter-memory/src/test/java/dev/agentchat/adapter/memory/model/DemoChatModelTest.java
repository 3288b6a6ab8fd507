package dev.agentchat.adapter.memory.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.ChatModelContract;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DemoChatModelTest extends ChatModelContract<DemoChatModel> {

    @Override
    protected DemoChatModel createSubject() {
        return new DemoChatModel(Duration.ZERO);
    }

    @Override
    protected void prepareAnswer(DemoChatModel subject) {
        // The demo answers every request; there is nothing to prepare.
    }

    @Override
    protected DemoChatModel createSlowSubject() {
        return new DemoChatModel(Duration.ofSeconds(30));
    }

    @Test
    void the_answer_says_it_is_the_offline_demo_and_quotes_the_users_message() {
        // when
        String answer = textOf(ask(new DemoChatModel(Duration.ZERO), aQuestion("Why is my VM unreachable?")));

        // then
        assertThat(answer).contains("offline demo").contains("\"Why is my VM unreachable?\"");
    }

    @Test
    void the_answer_says_how_to_configure_a_real_model() {
        // when
        String answer = textOf(ask(new DemoChatModel(Duration.ZERO), aQuestion("Hello")));

        // then
        assertThat(answer).contains("AZURE_OPENAI_ENDPOINT").contains("AZURE_OPENAI_DEPLOYMENT_NAME");
    }

    @Test
    void the_answer_quotes_the_newest_message_not_the_history() {
        // given
        ModelRequest request = new ModelRequest(AgentId.of("support-triage"), "Be brief.", List.of(
                ModelMessage.user("first question"),
                ModelMessage.assistant("first answer"),
                ModelMessage.user("second question")));

        // when
        String answer = textOf(ask(new DemoChatModel(Duration.ZERO), request));

        // then
        assertThat(answer).contains("\"second question\"").doesNotContain("first question");
    }

    @Test
    void a_message_over_several_lines_is_quoted_on_one() {
        // when
        String answer = textOf(ask(new DemoChatModel(Duration.ZERO), aQuestion("  My VM\n\n is   down.  ")));

        // then
        assertThat(answer).contains("\"My VM is down.\"");
    }

    @Test
    void a_long_message_is_quoted_only_in_part() {
        // given
        String longMessage = "word ".repeat(100).strip();

        // when
        String answer = textOf(ask(new DemoChatModel(Duration.ZERO), aQuestion(longMessage)));

        // then
        assertThat(answer).contains("\"" + longMessage.substring(0, 120) + "\u2026\"").doesNotContain(longMessage);
    }

    @Test
    void the_answer_streams_word_by_word() {
        // when
        List<ModelStreamItem> items = ask(new DemoChatModel(Duration.ZERO), aQuestion("Hello"));

        // then
        List<String> words = items.stream()
                .filter(ModelStreamItem.TextDelta.class::isInstance)
                .map(item -> ((ModelStreamItem.TextDelta) item).text())
                .toList();
        assertThat(words).hasSizeGreaterThan(10).allSatisfy(word -> assertThat(word.strip()).doesNotContainAnyWhitespaces());
    }

    @Test
    void the_usage_is_an_estimate_and_is_marked_so() {
        // given
        ModelRequest request = aQuestion("How many tokens is this?");

        // when
        List<ModelStreamItem> items = ask(new DemoChatModel(Duration.ZERO), request);

        // then
        assertThat(items).filteredOn(ModelStreamItem.UsageReport.class::isInstance).singleElement()
                .extracting(item -> ((ModelStreamItem.UsageReport) item).usage())
                .satisfies(usage -> {
                    assertThat(usage.estimated()).isTrue();
                    assertThat(usage.promptTokens()).isPositive();
                    // about four characters a token
                    int answerLength = textOf(items).length();
                    assertThat(usage.completionTokens()).isBetween(answerLength / 5L, answerLength / 3L);
                });
    }

    @Test
    void a_pace_holds_back_every_word() {
        // given
        DemoChatModel model = new DemoChatModel(Duration.ofMillis(100));

        // when
        long start = System.nanoTime();
        try (ModelStream stream = model.stream(aQuestion("Hello"))) {
            stream.next();
            stream.next();
        }
        Duration twoWords = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(twoWords).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void it_answers_without_opening_a_connection() {
        // given: a proxy selector that notes every address anything in this JVM tries to reach
        // (HttpClient, URLConnection and plain sockets all ask the default selector before connecting)
        List<URI> reached = new CopyOnWriteArrayList<>();
        ProxySelector original = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                reached.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
            }
        });
        try {
            // when
            String answer = textOf(ask(new DemoChatModel(Duration.ZERO), aQuestion("Are you online?")));

            // then
            assertThat(answer).contains("offline demo");
            assertThat(reached).isEmpty();
        } finally {
            ProxySelector.setDefault(original);
        }
    }

    @Test
    void a_message_naming_an_offered_tool_it_has_no_rule_for_calls_that_tool_with_no_arguments() {
        // given a tool of the client's own, which the demo knows nothing of
        ModelRequest request = offering(List.of(ModelMessage.user("Please call get_location for me")), GET_LOCATION);

        // when
        List<ModelStreamItem> items = ask(new DemoChatModel(Duration.ZERO), request);

        // then
        assertThat(items).filteredOn(ModelStreamItem.ToolCallRequest.class::isInstance).singleElement()
                .satisfies(call -> {
                    ModelStreamItem.ToolCallRequest asked = (ModelStreamItem.ToolCallRequest) call;
                    assertThat(asked.toolName()).isEqualTo("get_location");
                    assertThat(asked.arguments()).isEqualTo("{}");
                });
        assertThat(textOf(items)).isEmpty();
    }

    @Test
    void a_tool_is_not_called_when_its_name_is_only_part_of_a_word_or_it_is_not_offered() {
        // when
        List<ModelStreamItem> partOfAWord = ask(new DemoChatModel(Duration.ZERO),
                offering(List.of(ModelMessage.user("What does get_location_history say?")), GET_LOCATION));
        List<ModelStreamItem> notOffered = ask(new DemoChatModel(Duration.ZERO),
                offering(List.of(ModelMessage.user("Please call get_location for me"))));

        // then
        assertThat(partOfAWord).noneMatch(ModelStreamItem.ToolCallRequest.class::isInstance);
        assertThat(notOffered).noneMatch(ModelStreamItem.ToolCallRequest.class::isInstance);
    }

    @Test
    void after_the_tool_answers_the_answer_quotes_what_it_gave() {
        // given
        ModelRequest request = offering(List.of(ModelMessage.user("Please call get_location for me"),
                new ModelMessage.Assistant("", List.of(new ModelStreamItem.ToolCallRequest("call_demo_1", "get_location",
                        "{}"))),
                new ModelMessage.ToolResult("call_demo_1", "{\"city\":\"Lisbon\"}")), GET_LOCATION);

        // when
        List<ModelStreamItem> items = ask(new DemoChatModel(Duration.ZERO), request);

        // then
        assertThat(items).noneMatch(ModelStreamItem.ToolCallRequest.class::isInstance);
        assertThat(textOf(items)).contains("{\"city\":\"Lisbon\"}");
    }

    private static final ToolDefinition GET_LOCATION = new ToolDefinition("get_location", "Where the browser is.",
            "{\"type\":\"object\"}");

    private static ModelRequest offering(List<ModelMessage> messages, ToolDefinition... tools) {
        return new ModelRequest(AgentId.of("support-triage"), "Be brief.", messages, List.of(tools), ModelSettings.DEFAULTS);
    }

    private static List<ModelStreamItem> ask(DemoChatModel model, ModelRequest request) {
        try (ModelStream stream = model.stream(request)) {
            return readAll(stream);
        }
    }
}
