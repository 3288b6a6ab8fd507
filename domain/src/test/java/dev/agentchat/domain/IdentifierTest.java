package dev.agentchat.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every typed id follows the same rule: non-blank, at most 128 characters of [A-Za-z0-9-_.]. */
class IdentifierTest {

    static Stream<Arguments> idTypes() {
        return Stream.of(
                Arguments.of("ThreadId", (Function<String, Object>) ThreadId::of),
                Arguments.of("RunId", (Function<String, Object>) RunId::of),
                Arguments.of("MessageId", (Function<String, Object>) MessageId::of),
                Arguments.of("StepId", (Function<String, Object>) StepId::of),
                Arguments.of("AgentId", (Function<String, Object>) AgentId::of),
                Arguments.of("UserId", (Function<String, Object>) UserId::of));
    }

    /** Each id type with each value it must refuse. */
    static Stream<Arguments> idTypesAndInvalidValues() {
        String[] invalid = {"", " ", "\t", "x".repeat(129), "two words", "a/b", "a:b", "caf\u00e9", "line\nbreak",
                "emoji\uD83D\uDE00", "percent%20"};
        return idTypes().flatMap(type -> Stream.of(invalid)
                .map(value -> Arguments.of(type.get()[0], type.get()[1], value)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idTypes")
    void an_id_accepts_letters_digits_dashes_underscores_and_dots(String type, Function<String, Object> of) {
        assertThat(of.apply("Thread_01.abc-XYZ").toString()).isEqualTo("Thread_01.abc-XYZ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idTypes")
    void an_id_of_exactly_128_characters_is_accepted(String type, Function<String, Object> of) {
        String longest = "a".repeat(128);

        assertThat(of.apply(longest).toString()).isEqualTo(longest);
    }

    @ParameterizedTest(name = "{0} refuses \"{2}\"")
    @MethodSource("idTypesAndInvalidValues")
    void an_id_refuses_blank_too_long_or_unsafe_values(String type, Function<String, Object> of, String value) {
        assertThatThrownBy(() -> of.apply(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idTypes")
    void an_id_refuses_null(String type, Function<String, Object> of) {
        assertThatThrownBy(() -> of.apply(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idTypes")
    void ids_with_the_same_value_are_equal(String type, Function<String, Object> of) {
        assertThat(of.apply("same-1")).isEqualTo(of.apply("same-1")).isNotEqualTo(of.apply("same-2"));
    }
}
