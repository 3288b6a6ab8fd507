package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.StreamSupport;

/** What the browser tests check the page against: the service's own record, read through its API. */
final class BrowserApi {
    private BrowserApi() {
    }

    /** Opens a thread with {@code message} (no stream) and returns its id once its run has ended. */
    static String openThread(ServiceUnderTest service, String agent, String message) {
        HttpResponse<String> answered = service.postJson("/api/agents/" + agent + "/chat", body("message", message, "stream", false));
        if (answered.statusCode() != 200) {
            throw new AssertionError("could not open a thread: " + answered.statusCode() + " " + answered.body());
        }
        return parse(answered.body()).get("thread_id").asText();
    }

    /** The thread with its messages and runs. */
    static JsonNode thread(ServiceUnderTest service, String agent, String threadId) {
        return thread(service.get(threadPath(agent, threadId)), threadId);
    }

    /** The thread with its messages and runs, read through {@code client}. */
    static JsonNode thread(ServiceClient client, String agent, String threadId) {
        return thread(client.get(threadPath(agent, threadId)), threadId);
    }

    private static JsonNode thread(HttpResponse<String> read, String threadId) {
        if (read.statusCode() != 200) {
            throw new AssertionError("could not read thread " + threadId + ": " + read.statusCode() + " " + read.body());
        }
        return parse(read.body());
    }

    static String threadPath(String agent, String threadId) {
        return "/api/agents/" + agent + "/threads/" + threadId;
    }

    /** The thread's messages of {@code role}, oldest first. */
    static List<JsonNode> messages(JsonNode thread, String role) {
        return StreamSupport.stream(thread.get("messages").spliterator(), false)
                .filter(message -> message.get("role").asText().equals(role)).toList();
    }

    /** The thread's last assistant message. */
    static JsonNode lastAnswer(JsonNode thread) {
        List<JsonNode> answers = messages(thread, "assistant");
        if (answers.isEmpty()) {
            throw new AssertionError("no answer stored in " + thread);
        }
        return answers.getLast();
    }

    /** The steps of {@code type} ({@code model_call}, {@code tool_call}) of all the thread's runs, in order. */
    static List<JsonNode> steps(JsonNode thread, String type) {
        return runs(thread).stream().flatMap(run -> StreamSupport.stream(run.get("steps").spliterator(), false))
                .filter(step -> step.get("type").asText().equals(type)).toList();
    }

    static List<JsonNode> runs(JsonNode thread) {
        return StreamSupport.stream(thread.get("runs").spliterator(), false).toList();
    }
}
