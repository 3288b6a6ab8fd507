package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelNamesTest {

    @Test
    void a_tool_is_named_server__tool_with_other_characters_replaced() {
        // when
        Map<String, String> names = ModelNames.of(List.of("everything/echo", "files/read.file", "db/query:run now"));

        // then
        assertThat(names).containsExactly(
                Map.entry("everything/echo", "everything__echo"),
                Map.entry("files/read.file", "files__read_file"),
                Map.entry("db/query:run now", "db__query_run_now"));
    }

    @Test
    void tools_that_come_to_the_same_name_each_get_a_hash_suffix() {
        // when
        Map<String, String> names = ModelNames.of(List.of("files/read.file", "files/read_file", "files/write"));

        // then
        assertThat(names.get("files/read.file")).matches("files__read_file_[0-9a-f]{8}");
        assertThat(names.get("files/read_file")).matches("files__read_file_[0-9a-f]{8}");
        assertThat(names.get("files/read.file")).isNotEqualTo(names.get("files/read_file"));
        assertThat(names.get("files/write")).isEqualTo("files__write");
    }

    @Test
    void a_name_longer_than_64_is_cut_and_suffixed_to_64() {
        // given
        String tool = "server/" + "a".repeat(80);

        // when
        String name = ModelNames.of(List.of(tool)).get(tool);

        // then
        assertThat(name).hasSize(64).startsWith("server__aaaa").matches("[A-Za-z0-9_-]{55}_[0-9a-f]{8}");
    }

    @Test
    void a_name_does_not_depend_on_the_order_tools_are_listed_in() {
        // given
        List<String> tools = List.of("s/x.y", "s/x_y", "t/" + "b".repeat(70), "t/plain");

        // when
        Map<String, String> forwards = ModelNames.of(tools);
        Map<String, String> backwards = ModelNames.of(tools.reversed());

        // then
        assertThat(forwards).isEqualTo(backwards);
        assertThat(forwards.values()).doesNotHaveDuplicates().allMatch(name -> name.matches("[A-Za-z0-9_-]{1,64}"));
    }

    @Test
    void the_same_tool_on_two_servers_has_two_names() {
        // when
        Map<String, String> names = ModelNames.of(List.of("one/echo", "two/echo"));

        // then
        assertThat(names.values()).containsExactly("one__echo", "two__echo");
    }

    @Test
    void a_tool_named_like_the_hashed_name_of_another_gets_a_longer_name_and_the_hashed_one_stays() {
        // given: the name read.file and read_file get, and a third tool literally named so
        String hashed = ModelNames.of(List.of("files/read.file", "files/read_file")).get("files/read.file");
        String literal = "files/" + hashed.substring("files__".length());

        // when
        Map<String, String> names = ModelNames.of(List.of(literal, "files/read.file", "files/read_file"));

        // then
        assertThat(names.get("files/read.file")).isEqualTo(hashed);
        assertThat(names.get(literal)).startsWith(hashed + "_").matches("[A-Za-z0-9_-]{1,64}");
        assertThat(names.values()).doesNotHaveDuplicates();
        assertThat(ModelNames.of(List.of("files/read_file", "files/read.file", literal))).isEqualTo(names);
    }

    @Test
    void a_tool_named_like_a_hashed_name_cut_to_64_still_gets_a_unique_name_within_64() {
        // given: a name cut to 64, and a tool literally named as the cut one
        String tool = "server/" + "a".repeat(80);
        String cut = ModelNames.of(List.of(tool)).get(tool);
        String literal = "server/" + cut.substring("server__".length());

        // when
        Map<String, String> names = ModelNames.of(List.of(tool, literal));

        // then
        assertThat(names.get(tool)).isEqualTo(cut);
        assertThat(names.get(literal)).isNotEqualTo(cut).matches("[A-Za-z0-9_-]{64}");
    }
}
