package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The checker every test's answers go through fails on what the document does not describe. */
class ApiDocumentTest {
    private static final String PROBLEM = "application/problem+json";
    private static final String THREAD = "/api/agents/helper/threads/thread_1";
    private static final String CHAT = "/api/agents/helper/chat";

    private final ApiDocument document = ApiDocument.get();

    @Test
    void a_documented_answer_whose_body_matches_its_schema_passes() {
        assertThatCode(() -> document.checkAnswer("GET", "/health", 200, "application/json", "{\"status\":\"UP\"}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> document.checkEvent("POST", CHAT,
                "{\"type\":\"token\",\"content\":\"Hi\",\"timestamp\":\"2026-01-01T00:00:00.000Z\"}"))
                .doesNotThrowAnyException();
    }

    @Test
    void a_status_the_operation_does_not_document_fails() {
        assertThatThrownBy(() -> document.checkAnswer("GET", THREAD, 418, PROBLEM, problem(418)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no response 418");
    }

    @Test
    void a_body_missing_a_member_its_schema_requires_fails() {
        assertThatThrownBy(() -> document.checkAnswer("GET", "/health", 200, "application/json", "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Health");
    }

    @Test
    void a_problem_without_its_code_fails() {
        assertThatThrownBy(() -> document.checkAnswer("GET", THREAD, 404, PROBLEM,
                "{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,\"detail\":\"No thread.\"}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Problem");
    }

    @Test
    void an_event_of_a_type_the_document_does_not_know_fails() {
        assertThatThrownBy(() -> document.checkEvent("POST", CHAT,
                "{\"type\":\"approval_needed\",\"timestamp\":\"2026-01-01T00:00:00.000Z\"}"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void an_event_with_a_member_its_type_does_not_have_fails() {
        assertThatThrownBy(() -> document.checkEvent("POST", CHAT,
                "{\"type\":\"heartbeat\",\"content\":\"x\",\"timestamp\":\"2026-01-01T00:00:00.000Z\"}"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void an_undocumented_path_may_only_be_refused_with_a_problem() {
        assertThatCode(() -> document.checkAnswer("GET", "/nowhere", 404, PROBLEM, problem(404))).doesNotThrowAnyException();
        assertThatThrownBy(() -> document.checkAnswer("GET", "/nowhere", 200, "application/json", "{}"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void a_path_is_matched_as_the_server_routes_it_with_dot_segments_removed_before_decoding() {
        String emptyPage = "{\"agents\":[],\"total\":0,\"limit\":20,\"offset\":0}";

        assertThatCode(() -> document.checkAnswer("GET", "//api/./agents/", 200, "application/json", emptyPage))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> document.checkAnswer("GET", "/api/agents/x/%2e%2e", 200, "application/json", emptyPage))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void a_raw_request_is_held_against_the_operation_its_request_line_names() {
        assertThatThrownBy(() -> document.checkRawAnswer("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 404,
                PROBLEM, problem(404))).isInstanceOf(AssertionError.class).hasMessageContaining("no response 404");
        assertThatCode(() -> document.checkRawAnswer("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 431, PROBLEM,
                problem(431))).doesNotThrowAnyException();
    }

    private static String problem(int status) {
        return "{\"type\":\"urn:agentchat:problem:x\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"D\",\"code\":\"x\"}";
    }
}
