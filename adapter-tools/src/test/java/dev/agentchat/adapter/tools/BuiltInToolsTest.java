package dev.agentchat.adapter.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.contract.ToolRuntimeContract;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolRuntime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltInToolsTest extends ToolRuntimeContract {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields each tool reads, as its schema must name them. */
    private static final Map<String, List<String>> FIELDS = Map.of(
            "current_time", List.of("timezone"),
            "calculator", List.of("expression"),
            "search_knowledge_base", List.of("query", "limit"));

    private final BuiltInTools tools = BuiltInTools.all(CLOCK);

    @Override
    protected ToolRuntime createSubject() {
        return BuiltInTools.all(CLOCK);
    }

    @Override
    protected ToolInvocation aSuccessfulInvocation() {
        return new ToolInvocation("calculator", "{\"expression\": \"(2 + 3) * 4\"}");
    }

    // --- which tools ---

    @Test
    void all_offers_the_three_tools() {
        assertThat(tools.definitions()).extracting(ToolDefinition::name)
                .containsExactly(BuiltInTools.CURRENT_TIME, BuiltInTools.CALCULATOR, BuiltInTools.SEARCH_KNOWLEDGE_BASE);
    }

    @Test
    void only_offers_just_the_named_tools_in_the_order_given() {
        // when
        BuiltInTools some = BuiltInTools.only(CLOCK, List.of("search_knowledge_base", "current_time", "current_time"));

        // then
        assertThat(some.definitions()).extracting(ToolDefinition::name).containsExactly("search_knowledge_base", "current_time");
        assertThat(some.execute(aSuccessfulInvocation(), ToolProgress.IGNORED))
                .isEqualTo(new ToolOutcome.Failed("unknown tool 'calculator'; the tools are: search_knowledge_base, current_time"));
    }

    @Test
    void only_refuses_a_name_that_is_no_built_in_tool() {
        assertThatThrownBy(() -> BuiltInTools.only(CLOCK, List.of("calculator", "weather")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'weather'").hasMessageContaining("current_time, calculator, search_knowledge_base");
    }

    @Test
    void a_runtime_may_offer_no_tools() {
        assertThat(BuiltInTools.only(CLOCK, List.of()).definitions()).isEmpty();
    }

    // --- schemas ---

    @Test
    void every_schema_is_a_closed_object_schema_naming_the_fields_its_tool_reads() throws Exception {
        for (ToolDefinition definition : tools.definitions()) {
            // when
            JsonNode schema = JSON.readTree(definition.parametersSchema());

            // then
            List<String> properties = new ArrayList<>();
            schema.get("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(schema.get("type").asText()).as(definition.name()).isEqualTo("object");
            assertThat(schema.get("additionalProperties").isBoolean() && !schema.get("additionalProperties").booleanValue())
                    .as(definition.name() + " additionalProperties false").isTrue();
            assertThat(properties).as(definition.name()).containsExactlyElementsOf(FIELDS.get(definition.name()));
            assertThat(schema.get("required")).extracting(JsonNode::asText).as(definition.name()).isSubsetOf(properties);
            schema.get("properties").forEach(property ->
                    assertThat(property.get("type").asText()).isIn("string", "integer").as(definition.name()));
        }
    }

    @Test
    void every_field_a_schema_names_is_read_by_its_tool() {
        // a field a tool reads is type-checked, so a value of the wrong type names it; an unread one would be ignored
        FIELDS.forEach((tool, fields) -> fields.forEach(field -> {
            // when
            ObjectNode arguments = JSON.createObjectNode();
            if (tool.equals("search_knowledge_base")) {
                arguments.put("query", "vm");
            }
            arguments.putObject(field).put("nested", true);
            ToolOutcome outcome = tools.execute(new ToolInvocation(tool, arguments.toString()), ToolProgress.IGNORED);

            // then
            assertThat(outcome).as(tool + "." + field)
                    .isEqualTo(new ToolOutcome.Failed("arguments: '" + field + "' must be " + ("limit".equals(field) ? "a whole number" : "a string") + ", was an object"));
        }));
    }

    @Test
    void a_required_field_of_the_schema_is_required_by_the_runtime() throws Exception {
        for (ToolDefinition definition : tools.definitions()) {
            for (JsonNode required : JSON.readTree(definition.parametersSchema()).get("required")) {
                assertThat(tools.execute(new ToolInvocation(definition.name(), "{}"), ToolProgress.IGNORED))
                        .isEqualTo(new ToolOutcome.Failed("arguments: '" + required.asText() + "' is required"));
            }
        }
    }

    // --- arguments ---

    @Test
    void malformed_json_fails_saying_where() {
        assertThat(failureOf(execute("calculator", "{\"expression\": 1 +}")))
                .startsWith("arguments are not valid JSON at line 1, column ");
    }

    @Test
    void arguments_that_are_not_an_object_fail_saying_what_they_were() {
        assertThat(failureOf(execute("calculator", "[\"1 + 1\"]"))).isEqualTo("arguments must be a JSON object, were an array");
        assertThat(failureOf(execute("calculator", "\"1 + 1\""))).isEqualTo("arguments must be a JSON object, were a string (\"1 + 1\")");
    }

    @Test
    void text_after_the_object_fails() {
        assertThat(failureOf(execute("calculator", "{\"expression\": \"1\"} trailing"))).startsWith("arguments are not valid JSON");
    }

    @Test
    void a_field_given_twice_fails() {
        assertThat(failureOf(execute("calculator", "{\"expression\": \"1\", \"expression\": \"2\"}")))
                .startsWith("arguments are not valid JSON").contains("expression");
    }

    @Test
    void an_unknown_field_fails_naming_the_fields_there_are() {
        assertThat(failureOf(execute("search_knowledge_base", "{\"query\": \"dns\", \"max_results\": 2}")))
                .isEqualTo("arguments: unknown field 'max_results'; search_knowledge_base takes only query, limit");
    }

    @Test
    void blank_arguments_count_as_an_empty_object() {
        assertThat(execute("current_time", "")).isInstanceOf(ToolOutcome.Succeeded.class);
        assertThat(execute("current_time", " \n")).isInstanceOf(ToolOutcome.Succeeded.class);
    }

    @Test
    void arguments_over_the_size_limit_fail_before_they_are_parsed() {
        String huge = "{\"expression\": \"" + "1".repeat(BuiltInTools.MAX_ARGUMENTS_LENGTH) + "\"}";
        assertThat(failureOf(execute("calculator", huge))).startsWith("arguments are too long: at most 32768 characters");
    }

    // --- failures inside the runtime ---

    @Test
    void a_call_on_an_interrupted_thread_fails_as_interrupted() {
        Thread.currentThread().interrupt();
        try {
            assertThat(execute("current_time", "{}")).isEqualTo(new ToolOutcome.Failed("interrupted"));
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void a_tool_that_throws_becomes_a_failure_naming_the_tool_but_not_its_exception() {
        // given
        BuiltInTools broken = new BuiltInTools(List.of(new StubTool("broken", SCHEMA_WITHOUT_FIELDS) {
            @Override
            public ToolOutcome run(JsonNode arguments, ToolProgress progress) {
                throw new IllegalStateException("bug");
            }
        }));

        // when / then
        assertThat(broken.execute(new ToolInvocation("broken", "{}"), ToolProgress.IGNORED))
                .isEqualTo(new ToolOutcome.Failed("broken failed unexpectedly; the service's log has the details"));
    }

    @Test
    void two_tools_of_one_name_are_refused() {
        assertThatThrownBy(() -> new BuiltInTools(List.of(new StubTool("twin", SCHEMA_WITHOUT_FIELDS), new StubTool("twin", SCHEMA_WITHOUT_FIELDS))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'twin'");
    }

    @Test
    void a_tool_whose_schema_is_not_a_closed_object_schema_is_refused() {
        List<String> badSchemas = List.of(
                "not json",
                "{\"type\": \"array\"}",
                "{\"type\": \"object\", \"properties\": {}, \"required\": []}",
                "{\"type\": \"object\", \"properties\": {}, \"required\": [\"x\"], \"additionalProperties\": false}");
        for (String schema : badSchemas) {
            assertThatThrownBy(() -> new BuiltInTools(List.of(new StubTool("odd", schema))))
                    .as(schema).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema of odd");
        }
    }

    private static final String SCHEMA_WITHOUT_FIELDS = "{\"type\": \"object\", \"properties\": {}, \"required\": [], \"additionalProperties\": false}";

    /** A tool that succeeds with "ok"; tests override run() to misbehave. */
    private static class StubTool implements Tool {
        private final ToolDefinition definition;

        StubTool(String name, String schema) {
            this.definition = new ToolDefinition(name, "A tool for tests.", schema);
        }

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        @Override
        public ToolOutcome run(JsonNode arguments, ToolProgress progress) {
            return new ToolOutcome.Succeeded("ok");
        }
    }

    private ToolOutcome execute(String tool, String arguments) {
        return tools.execute(new ToolInvocation(tool, arguments), ToolProgress.IGNORED);
    }

    private static String failureOf(ToolOutcome outcome) {
        assertThat(outcome).isInstanceOf(ToolOutcome.Failed.class);
        return ((ToolOutcome.Failed) outcome).error();
    }
}
