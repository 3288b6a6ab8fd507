package dev.agentchat.bench;

/**
 * How a chat back end is asked for a turn and how the events of its answer read: agentchat's chat
 * events, or the AI SDK's UI message stream that the peer answers with. The harness drives both with
 * the same socket client; only this differs.
 */
sealed interface ChatProtocol permits ChatProtocol.Agentchat, ChatProtocol.UiMessageStream {

    /** The back end's name in the tables. */
    String name();

    /** Where a turn is asked for. */
    String path();

    /** The request that starts a turn: one user message. */
    String body();

    /** What the {@code data} of one event of the answer is. */
    Event read(String data);

    /** An event of an answer, as far as the harness cares. */
    sealed interface Event permits Text, Finished, Failed, Other {
    }

    /** Answer text: here, one or more of the model server's stamps. */
    record Text(String text) implements Event {
    }

    /** The turn ended as it should. */
    record Finished() implements Event {
    }

    /** The back end reported an error. */
    record Failed(String reason) implements Event {
    }

    /** Anything else (trace events, the steps of a UI message stream). */
    record Other() implements Event {
    }

    /** agentchat: {@code POST /api/agents/{agent}/chat}, answered with its chat events ({@code token} ... {@code done}). */
    record Agentchat() implements ChatProtocol {
        private static final String AGENT = "support-triage";

        @Override
        public String name() {
            return "agentchat";
        }

        @Override
        public String path() {
            return "/api/agents/" + AGENT + "/chat";
        }

        @Override
        public String body() {
            return "{\"message\":\"How do I restart my VM?\"}";
        }

        @Override
        public Event read(String data) {
            String type = SseConnection.member(data, "type");
            if (type == null) {
                return new Other();
            }
            return switch (type) {
                case "token" -> new Text(SseConnection.member(data, "content"));
                case "done" -> new Finished();
                case "error" -> new Failed("error event " + SseConnection.member(data, "code"));
                default -> new Other();
            };
        }
    }

    /**
     * The peer: {@code POST /api/chat} with what the AI SDK's {@code useChat} sends (the chat's id and its
     * UI messages), answered with a UI message stream: {@code start}, {@code text-start}, one
     * {@code text-delta} per model delta, ..., {@code finish}, and {@code [DONE]}.
     */
    record UiMessageStream() implements ChatProtocol {
        @Override
        public String name() {
            return "peer";
        }

        @Override
        public String path() {
            return "/api/chat";
        }

        @Override
        public String body() {
            return "{\"id\":\"bench\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                    + "\"text\":\"How do I restart my VM?\"}]}],\"trigger\":\"submit-message\"}";
        }

        @Override
        public Event read(String data) {
            if (data.equals("[DONE]")) {
                return new Finished();
            }
            String type = SseConnection.member(data, "type");
            if (type == null) {
                return new Other();
            }
            return switch (type) {
                case "text-delta" -> new Text(SseConnection.member(data, "delta"));
                case "error" -> new Failed("error event " + SseConnection.member(data, "errorText"));
                default -> new Other();
            };
        }
    }
}
