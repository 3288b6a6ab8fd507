package dev.agentchat.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ToolRuntime} must do, whatever its tools: offer them under distinct names, answer every
 * call with an outcome (arguments are the model's text and may be anything), refuse an unknown tool, and stop
 * for an interrupt. An adapter's test extends this, says how to make the runtime and names one call that succeeds.
 */
public abstract class ToolRuntimeContract {
    /** How long a call on an interrupted thread may take: the caller's timeout relies on it ending soon. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    /** Arguments a model might write by mistake; none is a JSON object, so no tool can take them. */
    private static final List<String> NOT_AN_OBJECT = List.of(
            "not json at all", "{\"unterminated\": ", "[1, 2, 3]", "\"a string\"", "42", "null", "{} {}");

    private ToolRuntime runtime;

    /** A runtime to test, offering at least the tool of {@link #aSuccessfulInvocation()}. */
    protected abstract ToolRuntime createSubject();

    /** A call of one of the subject's tools that succeeds whenever it is made, quickly and without a network. */
    protected abstract ToolInvocation aSuccessfulInvocation();

    @BeforeEach
    void createRuntime() {
        runtime = createSubject();
    }

    // --- definitions ---

    @Test
    void the_definitions_name_each_tool_once() {
        // when
        List<String> names = runtime.definitions().stream().map(ToolDefinition::name).toList();

        // then
        assertThat(names).isNotEmpty().doesNotHaveDuplicates();
    }

    @Test
    void every_parameters_schema_is_a_json_object() {
        assertThat(runtime.definitions()).allSatisfy(definition -> {
            String schema = definition.parametersSchema().strip();
            assertThat(schema).as(definition.name()).startsWith("{").endsWith("}").contains("\"type\"").contains("\"object\"");
        });
    }

    @Test
    void the_definitions_do_not_change_between_calls() {
        assertThat(runtime.definitions()).isEqualTo(runtime.definitions());
    }

    @Test
    void the_successful_invocation_names_a_defined_tool() {
        assertThat(runtime.definitions()).extracting(ToolDefinition::name).contains(aSuccessfulInvocation().toolName());
    }

    // --- execute ---

    @Test
    void a_successful_invocation_succeeds_with_some_output() {
        // when
        ToolOutcome outcome = runtime.execute(aSuccessfulInvocation(), ToolProgress.IGNORED);

        // then
        assertThat(outcome).isInstanceOfSatisfying(ToolOutcome.Succeeded.class,
                succeeded -> assertThat(succeeded.output()).isNotBlank());
    }

    @Test
    void progress_reports_are_text() {
        // given
        List<String> reports = Collections.synchronizedList(new ArrayList<>());

        // when
        runtime.execute(aSuccessfulInvocation(), reports::add);

        // then
        assertThat(reports).allSatisfy(report -> assertThat(report).isNotBlank());
    }

    @Test
    void an_unknown_tool_fails_naming_it() {
        // given
        String unknown = "no_such_tool_" + Records.uniqueId("x").replace("-", "_").substring(0, 20);

        // when
        ToolOutcome outcome = runtime.execute(new ToolInvocation(unknown, "{}"), ToolProgress.IGNORED);

        // then
        assertThat(outcome).isInstanceOfSatisfying(ToolOutcome.Failed.class,
                failed -> assertThat(failed.error()).contains(unknown));
    }

    @Test
    void every_tool_answers_empty_arguments_with_an_outcome() {
        for (ToolDefinition definition : runtime.definitions()) {
            for (String arguments : List.of("{}", "")) {
                // when
                ToolOutcome outcome = runtime.execute(new ToolInvocation(definition.name(), arguments), ToolProgress.IGNORED);

                // then: success or failure are both fine; an exception or null is not
                assertThat(outcome).as(definition.name() + " with '" + arguments + "'").isNotNull();
            }
        }
    }

    @Test
    void every_tool_fails_arguments_that_are_not_a_json_object() {
        for (ToolDefinition definition : runtime.definitions()) {
            for (String arguments : NOT_AN_OBJECT) {
                // when
                ToolOutcome outcome = runtime.execute(new ToolInvocation(definition.name(), arguments), ToolProgress.IGNORED);

                // then
                assertThat(outcome).as(definition.name() + " with '" + arguments + "'")
                        .isInstanceOfSatisfying(ToolOutcome.Failed.class, failed -> assertThat(failed.error()).isNotBlank());
            }
        }
    }

    @Test
    void every_tool_answers_fields_of_unexpected_types_with_an_outcome() {
        // given: values of every JSON type under names a tool might use, and one no tool uses
        List<String> odd = List.of("null", "true", "-1", "1e308", "\"\"", "[]", "{}", "\"" + "x".repeat(5_000) + "\"");
        for (ToolDefinition definition : runtime.definitions()) {
            for (String value : odd) {
                for (String field : List.of("query", "expression", "timezone", "limit", "id", "unexpected_field")) {
                    String arguments = "{\"" + field + "\": " + value + "}";

                    // when
                    ToolOutcome outcome = runtime.execute(new ToolInvocation(definition.name(), arguments), ToolProgress.IGNORED);

                    // then
                    assertThat(outcome).as(definition.name() + " with " + field + " = " + value.substring(0, Math.min(20, value.length())))
                            .isNotNull();
                }
            }
        }
    }

    @Test
    void a_call_on_an_interrupted_thread_ends_promptly_with_an_outcome() {
        ToolOutcome outcome = assertTimeoutPreemptively(PROMPTLY, () -> {
            // given
            Thread.currentThread().interrupt();
            try {
                // when
                return runtime.execute(aSuccessfulInvocation(), ToolProgress.IGNORED);
            } finally {
                Thread.interrupted();
            }
        });

        // then: whether it finished or stopped is the tool's business; that it answered is the contract's
        assertThat(outcome).isNotNull();
    }

    @Test
    void concurrent_calls_all_succeed() {
        // given
        List<ToolOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<Runnable> callers = IntStream.range(0, 32)
                .<Runnable>mapToObj(i -> () -> outcomes.add(runtime.execute(aSuccessfulInvocation(), ToolProgress.IGNORED)))
                .toList();

        // when
        List<Race.Outcome> ended = Race.run(callers);

        // then
        assertThat(ended).allMatch(Race.Outcome::succeeded);
        assertThat(outcomes).hasSize(callers.size()).allMatch(ToolOutcome.Succeeded.class::isInstance);
    }
}
