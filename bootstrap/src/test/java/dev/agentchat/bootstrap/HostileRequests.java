package dev.agentchat.bootstrap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Makes hostile requests for every route, from a seed: the same seed makes the same bytes. Each
 * request starts as a plausible one for its route and gets one kind of damage: odd ids in the
 * path, bad query parameters, bad headers, bad JSON bodies, or broken HTTP framing.
 */
final class HostileRequests {
    /** What is known to exist, so that some requests reach past the lookups. */
    record Known(String agentId, String threadId, String runId, String adminKey) {
    }

    /** What the answer must be, beyond the rules every answer follows. */
    enum Expect {
        ANY,
        /** HEAD on a GET route is answered like GET, not refused (RFC 9110 9.3.2). */
        NOT_METHOD_NOT_ALLOWED,
        /** Headers past the server's limit (RFC 6585). */
        HEADERS_TOO_LARGE,
        /** Framing a proxy in front could read otherwise, or that cannot be read at all: 400 (RFC 9112). */
        MALFORMED,
        /** A body that cannot be read, where the route reads it: refused (it may be refused before, say 404 or 401). */
        REFUSED
    }

    /**
     * One request.
     *
     * @param index  its place in the run, for replaying it alone
     * @param shape  what kind of damage it carries, for grouping outcomes
     * @param method the method, as sent
     * @param bytes  the whole request, as sent
     * @param expect what its answer must be beyond the common rules
     */
    record Case(int index, String shape, String method, byte[] bytes, Expect expect) {
        boolean head() {
            return method.equals("HEAD");
        }
    }

    private record Route(String method, String template, Body body) {
    }

    private enum Body { NONE, CHAT, AGENT, APPROVALS, AG_UI }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/agents", Body.NONE),
            new Route("POST", "/api/agents", Body.AGENT),
            new Route("GET", "/api/agents/{a}", Body.NONE),
            new Route("PUT", "/api/agents/{w}", Body.AGENT),
            new Route("DELETE", "/api/agents/{w}", Body.NONE),
            new Route("POST", "/api/agents/{a}/chat", Body.CHAT),
            new Route("GET", "/api/agents/{a}/threads", Body.NONE),
            new Route("GET", "/api/agents/{a}/threads/{t}", Body.NONE),
            new Route("DELETE", "/api/agents/{a}/threads/{t}", Body.NONE),
            new Route("GET", "/api/agents/{a}/threads/{t}/runs", Body.NONE),
            new Route("GET", "/api/agents/{a}/threads/{t}/runs/{r}", Body.NONE),
            new Route("POST", "/api/agents/{a}/threads/{t}/runs/{r}/cancel", Body.NONE),
            new Route("GET", "/api/agents/{a}/threads/{t}/runs/{r}/events", Body.NONE),
            new Route("GET", "/api/agents/{a}/threads/{t}/runs/{r}/events/ag-ui", Body.NONE),
            new Route("GET", "/health", Body.NONE),
            new Route("GET", "/openapi", Body.NONE),
            new Route("GET", "/docs", Body.NONE),
            new Route("GET", "/docs/index.html", Body.NONE),
            new Route("POST", "/api/agents/{a}/threads/{t}/runs/{r}/approvals", Body.APPROVALS),
            new Route("POST", "/api/agents/{a}/ag-ui", Body.AG_UI));

    /** Agents that requests with the admin key may change: never the one the health check chats with. */
    private static final List<String> WRITABLE_AGENTS = List.of("news-digest", "sql-analyst", "business-impact", "fuzz-made");

    private static final List<String> ODD_IDS = List.of(
            ".", "..", "...", "%2e%2e", "%2E", "%2F", "a%2Fb", "%00", "a%00b", "%ZZ", "%", "%C0%AF", "%FF", "%E2%82",
            "thread_%F0%9F%98%80", "%E2%80%AE", "~", "a;b", "a=b", "%20", "+", "@", "%5C", "%0d%0a", "CON", "null",
            "-1", "0", "1e9", "{threadId}", "*", "%25", "%%", "thread_", "run_", "a?b", "a#b", "\u00e9", "\ud83d\ude00",
            "thread_missing", "run_missing", "support-triage", "SUPPORT-TRIAGE", "azure-ops");

    private static final List<String> ACCEPTS = List.of("text/event-stream;q=abc", "*/*;q=2", ";;;", "", "text/event-stream;q=0",
            "application/json;q=", "a/b/c", "text/event-stream;q=0.5, application/json;q=0.5", "*/*", "text/*",
            "application/problem+json", "text/html", "text/event-stream; charset=\"", "text/event-stream;;q=1",
            "x".repeat(3000), "text/event-stream, */*;q=-1", "\u00e9/\u00e9");
    private static final List<String> CONTENT_TYPES = List.of("application/json; boundary=\"", "application/json; charset=\"utf-8",
            "", "text/plain", "application/json;;", "application/json, text/plain", "*/*", "application/", "/json",
            "application/json; charset=latin1", "application/json; charset=utf-16", "application/merge-patch+json",
            "application/json; =x", "multipart/form-data; boundary=x", "\u00ff/\u00ff", "application/json " + "x".repeat(2000));
    private static final List<String> LAST_EVENT_IDS = List.of("abc", "-1", "99999999999", "99999999999999999999999", "1.5", "",
            "0", "1", "3", " 2 ", "0x10", "1e3", "\u00e9", "9".repeat(500), "2, 3");
    private static final List<String> IDEMPOTENCY_KEYS = List.of("", " ", "k".repeat(256), "k".repeat(5000), "key with spaces",
            "\u00e9\u00e9", "a\tb", "fuzz-key-1", "fuzz-key-1", "fuzz-key-2");
    private static final List<String> IF_MATCHES = List.of("", "\"abc\"", "*", "W/", "W/\"1\"", "\"99999999999999999999\"", "1",
            "\"1\"", "\"-1\"", "\"1\", \"2\"", "\"", "W/\"\"");
    private static final List<String> AUTHORIZATIONS = List.of("Bearer", "Bearer ", "Basic eDp5", "Bearer wrong-key",
            "Bearer " + "k".repeat(8000), "bearer KEY", "Bearer  KEY", "Bearer KEY extra", "Bearer \u00e9", "KEY", "Bearer KEY");

    private final Random random;
    private final Known known;

    HostileRequests(Random random, Known known) {
        this.random = random;
        this.known = known;
    }

    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cases.add(next(i));
        }
        return cases;
    }

    private Case next(int index) {
        Route route = pick(ROUTES);
        Request request = plausible(route);
        int roll = random.nextInt(100);
        if (roll < 18) {
            oddIds(route, request);
        } else if (roll < 26) {
            badQuery(request);
        } else if (roll < 50) {
            badHeaders(request);
        } else if (roll < 78) {
            badBody(route, request);
        } else if (roll < 91) {
            brokenFraming(request);
        } else if (roll < 95) {
            headOnGet(request);
        } else {
            docsHeaders(request);
        }
        return new Case(index, request.shape, request.method, request.bytes(), request.expect);
    }

    /** A mutable request under construction. */
    private static final class Request {
        String shape = "plausible";
        String method;
        byte[] target;
        String version = "HTTP/1.1";
        final Map<String, List<byte[]>> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        boolean contentLength = true;
        byte[] rawHeaderLines = new byte[0];
        byte[] rawBody;
        Expect expect = Expect.ANY;

        void header(String name, String value) {
            headers.put(name, new ArrayList<>(List.of(value.getBytes(StandardCharsets.UTF_8))));
        }

        void addHeader(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(method.getBytes(StandardCharsets.UTF_8));
            out.write(' ');
            out.writeBytes(target);
            if (!version.isEmpty()) {
                out.write(' ');
                out.writeBytes(version.getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            headers.forEach((name, values) -> values.forEach(value -> {
                out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
                out.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(value);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }));
            if (contentLength && !headers.containsKey("Content-Length") && (body.length > 0 || !method.equals("GET"))) {
                out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes(rawHeaderLines);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(rawBody != null ? rawBody : body);
            return out.toByteArray();
        }
    }

    private Request plausible(Route route) {
        Request request = new Request();
        request.method = route.method();
        request.target = path(route, known.agentId(), pick(WRITABLE_AGENTS), known.threadId(), known.runId());
        request.header("Host", "127.0.0.1");
        request.header("Connection", "close");
        switch (route.body()) {
            case CHAT -> {
                boolean stream = random.nextBoolean();
                request.header("Content-Type", "application/json");
                request.header("Accept", stream ? "text/event-stream" : "application/json");
                request.body = utf8(stream ? "{\"message\":\"What time is it?\"}" : "{\"message\":\"Add 2 and 3\",\"stream\":false}");
            }
            case AGENT -> {
                request.header("Content-Type", "application/json");
                request.header("Authorization", "Bearer " + known.adminKey());
                request.header("If-Match", "\"" + (1 + random.nextInt(3)) + "\"");
                request.body = utf8("{\"id\":\"fuzz-" + random.nextInt(50) + "\",\"name\":\"Fuzz\",\"instructions\":\"Be brief.\"}");
            }
            case APPROVALS -> {
                request.header("Content-Type", "application/json");
                request.body = utf8("{\"decisions\":[{\"step_id\":\"step_" + random.nextInt(5) + "\",\"approved\":"
                        + random.nextBoolean() + ",\"reason\":\"fuzz\"}]}");
            }
            case AG_UI -> {
                request.header("Content-Type", "application/json");
                request.header("Accept", "text/event-stream");
                request.body = utf8("{\"threadId\":\"fuzz-" + random.nextInt(5) + "\",\"runId\":\"run-" + random.nextInt(1000)
                        + "\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"What time is it?\"}]}");
            }
            case NONE -> {
                if (route.template().endsWith("/events") || route.template().endsWith("/events/ag-ui")) {
                    request.header("Accept", "text/event-stream");
                }
                if (route.template().startsWith("/api/agents/{w}")) {
                    request.header("Authorization", "Bearer " + known.adminKey());
                }
            }
        }
        return request;
    }

    private byte[] path(Route route, String agent, String writable, String thread, String run) {
        return utf8(route.template().replace("{a}", agent).replace("{w}", writable).replace("{t}", thread).replace("{r}", run));
    }

    private void oddIds(Route route, Request request) {
        Supplier<String> odd = () -> switch (random.nextInt(6)) {
            case 0 -> "a".repeat(pick(List.of(256, 1000, 5000, 20000)));
            case 1 -> pick(ODD_IDS) + pick(ODD_IDS);
            default -> pick(ODD_IDS);
        };
        String agent = random.nextInt(3) == 0 ? known.agentId() : odd.get();
        String thread = random.nextInt(3) == 0 ? known.threadId() : odd.get();
        String run = random.nextInt(3) == 0 ? known.runId() : odd.get();
        String writable = random.nextInt(3) == 0 ? pick(WRITABLE_AGENTS) : odd.get();
        request.shape = "odd ids in the path";
        request.target = path(route, agent, writable, thread, run);
        if (random.nextInt(10) == 0) {
            // raw bytes that are not UTF-8 in the path itself
            request.shape = "raw invalid bytes in the path";
            request.target = concat(request.target, new byte[] {(byte) 0xff, (byte) 0xc0, (byte) 0xaf});
        } else if (random.nextInt(10) == 0) {
            request.shape = "odd path shape";
            request.target = utf8(pick(List.of("//api//agents", "/api/agents/", "/api/agents/support-triage/", "/api/./agents",
                    "/api/agents/../health", "/api/agents/%2e%2e/health", "health", "http://127.0.0.1/health", "*", "/?",
                    "/api/agents?limit=1#frag", "/%", "/" + "x/".repeat(2000))));
        }
    }

    private void badQuery(Request request) {
        request.shape = "bad query parameters";
        String query = pick(List.of("limit=abc", "limit=-1", "limit=0", "limit=101", "limit=99999999999999999999", "offset=",
                "offset=-5", "offset=1e3", "status=%00", "status=archived", "status=", "after=-5", "after=abc",
                "after=99999999999", "after=99999999999999999999999", "after=1.5", "hard_delete=maybe", "hard_delete=",
                "limit=1&limit=2", "=&&=", "%ZZ", "a=%ZZ", "limit=%C0%AF", "status=\u00e9", "x=" + "y".repeat(3000),
                "after=3&after=abc", "hard_delete=true&hard_delete=false", "stream=false", "ag_ui_thread_id=",
                "ag_ui_thread_id=%20th", "ag_ui_thread_id=" + "t".repeat(129), "ag_ui_thread_id=%00", "ag_ui_run_id=%0d%0a",
                "ag_ui_run_id=%E2%80%AE", "ag_ui_run_id=%ZZ", "ag_ui_thread_id=a&ag_ui_thread_id=b",
                "ag_ui_thread_id=th-1&ag_ui_run_id=run-1&after=1", "ag_ui_run_id=" + "r".repeat(5000)));
        request.target = concat(request.target, utf8("?" + query));
    }

    private void badHeaders(Request request) {
        int count = 1 + random.nextInt(3);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(7)) {
                case 0 -> { request.header("Accept", pick(ACCEPTS)); names.add("Accept"); }
                case 1 -> { request.header("Content-Type", pick(CONTENT_TYPES)); names.add("Content-Type"); }
                case 2 -> { request.header("Last-Event-ID", pick(LAST_EVENT_IDS)); names.add("Last-Event-ID"); }
                case 3 -> { request.header("Idempotency-Key", pick(IDEMPOTENCY_KEYS)); names.add("Idempotency-Key"); }
                case 4 -> { request.header("If-Match", pick(IF_MATCHES)); names.add("If-Match"); }
                case 5 -> {
                    request.header("Authorization", pick(AUTHORIZATIONS).replace("KEY", known.adminKey()));
                    names.add("Authorization");
                }
                default -> {
                    String name = pick(List.of("Accept", "Content-Type", "Authorization", "Last-Event-ID"));
                    request.headers.remove(name);
                    names.add("no " + name);
                }
            }
        }
        request.shape = "bad headers: " + String.join(", ", names.stream().distinct().sorted().toList());
    }

    private void badBody(Route route, Request request) {
        if (route.body() == Body.NONE) {
            // a body where none is expected, or on a route that reads one
            if (random.nextBoolean()) {
                request.shape = "a body on a route that reads none";
                request.header("Content-Type", "application/json");
                request.body = pick(chatBodies()).get();
                return;
            }
            Route chat = ROUTES.get(5);
            request.method = chat.method();
            request.target = path(chat, known.agentId(), "", known.threadId(), known.runId());
            request.header("Content-Type", "application/json");
            request.header("Accept", random.nextBoolean() ? "text/event-stream" : "application/json");
        }
        if (route.body() == Body.AG_UI && random.nextBoolean()) {
            request.body = utf8(pick(AG_UI_BODIES));
            request.shape = "AG-UI input with wrong members";
            return;
        }
        if (route.body() == Body.APPROVALS && random.nextBoolean()) {
            request.body = utf8(pick(APPROVAL_BODIES));
            request.shape = "approvals body with wrong members";
            return;
        }
        boolean agent = route.body() == Body.AGENT && random.nextBoolean();
        List<Supplier<byte[]>> bodies = agent ? agentBodies() : chatBodies();
        int which = random.nextInt(bodies.size());
        request.body = bodies.get(which).get();
        request.shape = (agent ? "agent" : "chat") + " body: " + bodyShape(agent, which);
    }

    private String bodyShape(boolean agent, int which) {
        if (agent) {
            return which < AGENT_SHAPES.length ? AGENT_SHAPES[which] : "agent with a wrong field";
        }
        return which < CHAT_SHAPES.length ? CHAT_SHAPES[which] : "chat with a wrong field";
    }

    private static final List<String> APPROVAL_BODIES = List.of("{}", "{\"decisions\":null}", "{\"decisions\":{}}",
            "{\"decisions\":[]}", "{\"decisions\":[1]}", "{\"decisions\":[{\"step_id\":1,\"approved\":true}]}",
            "{\"decisions\":[{\"step_id\":\"step_1\",\"approved\":\"yes\"}]}",
            "{\"decisions\":[{\"step_id\":\"\",\"approved\":true}]}",
            "{\"decisions\":[{\"step_id\":\"step_1\",\"approved\":true,\"arguments\":[1]}]}",
            "{\"decisions\":[{\"step_id\":\"step_1\",\"approved\":false,\"arguments\":{}}]}",
            "{\"decisions\":[{\"step_id\":\"step_1\",\"approved\":true,\"reason\":\"" + "r".repeat(3_000) + "\"}]}",
            "{\"decisions\":[" + String.join(",", java.util.Collections.nCopies(100,
                    "{\"step_id\":\"step_1\",\"approved\":true}")) + "]}",
            "{\"decisions\":[{\"step_id\":\"step_1\",\"approved\":true},{\"step_id\":\"step_1\",\"approved\":false}]}");

    /** The start of an AG-UI input whose messages end in a paused call, as a resume's do; members follow. */
    private static final String AG_UI_ASSISTANT = "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"user\","
            + "\"content\":\"hi\"},{\"id\":\"a\",\"role\":\"assistant\",\"toolCalls\":[]}],";
    /** The start of an AG-UI input with a new user message; members follow. */
    private static final String AG_UI_USER = "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"user\","
            + "\"content\":\"hi\"}],";

    private static final List<String> AG_UI_BODIES = List.of("{}", "{\"threadId\":\"t\",\"runId\":\"r\"}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[]}",
            "{\"threadId\":1,\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"threadId\":\"" + "t".repeat(500) + "\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"tool\",\"content\":\"x\",\"toolCallId\":\"c\"}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"user\",\"content\":null}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"resume\":[{\"interruptId\":\"i\",\"status\":\"resolved\"}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":{\"id\":\"m\"},\"tools\":7}",
            // the members that answer a pause, and the client's own tools, in every wrong shape
            AG_UI_ASSISTANT + "\"resume\":7}",
            AG_UI_ASSISTANT + "\"resume\":[7]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":3,\"status\":\"resolved\"}]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":\"i\",\"status\":\"maybe\"}]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":\"i\",\"status\":\"resolved\",\"payload\":[]}]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":\"i\",\"status\":\"resolved\",\"payload\":{\"approved\":\"yes\"}}]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":\"i\",\"status\":\"resolved\",\"payload\":{\"approved\":true,"
                    + "\"editedArgs\":\"{}\"}}]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":\"i\",\"status\":\"resolved\",\"payload\":{\"approved\":false,"
                    + "\"editedArgs\":{}}}]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":\"not an id!\",\"status\":\"cancelled\"}]}",
            AG_UI_ASSISTANT + "\"resume\":[{\"interruptId\":\"step_1\",\"status\":\"cancelled\",\"payload\":{\"reason\":7}}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"tool\",\"content\":7,\"toolCallId\":\"c\"}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"tool\",\"content\":\"x\"}]}",
            "{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"m\",\"role\":\"tool\",\"content\":\"x\",\"toolCallId\":\"c\","
                    + "\"error\":[1]}]}",
            AG_UI_USER + "\"tools\":[7]}",
            AG_UI_USER + "\"tools\":[{\"name\":\"get_location\"}]}",
            AG_UI_USER + "\"tools\":[{\"name\":\"get location\",\"description\":\"d\"}]}",
            AG_UI_USER + "\"tools\":[{\"name\":\"" + "n".repeat(65) + "\",\"description\":\"d\"}]}",
            AG_UI_USER + "\"tools\":[{\"name\":\"t\",\"description\":\"d\",\"parameters\":\"none\"}]}",
            AG_UI_USER + "\"tools\":[{\"name\":\"t\",\"description\":\"d\"},{\"name\":\"t\",\"description\":\"d\"}]}",
            AG_UI_USER + "\"tools\":[" + String.join(",", java.util.Collections.nCopies(65,
                    "{\"name\":\"t\",\"description\":\"d\"}")) + "]}");

    private static final String[] CHAT_SHAPES = {"malformed JSON", "random printable bytes", "random bytes", "wrong type",
            "deep array nesting", "deep object nesting", "unclosed nesting", "huge number", "long strings",
            "invalid UTF-8", "lone surrogate", "trailing data", "duplicate key", "JSON extensions", "thread_id odd"};
    private static final String[] AGENT_SHAPES = {"malformed JSON", "random bytes", "deep nesting", "invalid UTF-8",
            "duplicate key", "agent wrong types"};

    private List<Supplier<byte[]>> chatBodies() {
        return List.of(
                () -> utf8(pick(List.of("{", "{\"message\":", "{\"message\":\"hi\"", "[", "]", "}", "{}}", "nul", "tru",
                        "{'message':'hi'}", "{message:\"hi\"}", "{\"message\":\"hi\",}", "{\"message\":\"hi\" \"x\":1}", "\"",
                        "{\"message\":\"\\x41\"}", "{\"message\":\"a\nb\"}", "{\"message\":01}", "{\"message\":\"\\u12\"}", ""))),
                () -> randomBytes(0x20, 0x7e),
                () -> randomBytes(0, 0xff),
                () -> utf8("{\"message\":" + pick(List.of("1", "1.5", "true", "null", "[]", "{}", "[\"hi\"]", "{\"text\":\"hi\"}",
                        "-0", "\"\"", "\" \"")) + pick(List.of("", ",\"stream\":\"true\"", ",\"stream\":1", ",\"stream\":null",
                        ",\"stream\":[]", ",\"extra\":{\"a\":[1,2]}")) + "}"),
                () -> {
                    int depth = pick(List.of(100, 999, 1001, 5000, 50_000));
                    return utf8("{\"message\":\"hi\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
                },
                () -> {
                    int depth = pick(List.of(500, 1001, 3000));
                    return utf8("{\"message\":\"hi\",\"x\":" + "{\"x\":".repeat(depth) + "1" + "}".repeat(depth) + "}");
                },
                () -> utf8("[".repeat(pick(List.of(1000, 100_000)))),
                () -> utf8("{\"message\":\"hi\",\"stream\":" + pick(List.of("1e999999", "9".repeat(2000), "0." + "0".repeat(2000) + "1",
                        "-9223372036854775809", "NaN", "Infinity")) + "}"),
                () -> utf8(pick(List.of("{\"message\":\"" + "y".repeat(40_000) + "\"}", "{\"" + "k".repeat(60_000) + "\":1,\"message\":\"hi\"}",
                        "{\"message\":\"hi\",\"x\":\"" + "z".repeat(300 * 1024) + "\"}"))),
                () -> concat(utf8("{\"message\":\"a"), pick(List.of(new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xff},
                        new byte[] {(byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xfe, (byte) 0xff})), utf8("\"}")),
                () -> utf8(pick(List.of("{\"message\":\"\\ud800\"}", "{\"message\":\"\\udfff x\"}", "{\"message\":\"\\ude00\\ud83d\"}",
                        "{\"message\":\"hi\",\"\\ud800\":1}"))),
                () -> utf8("{\"message\":\"hi\"}" + pick(List.of("garbage", " {\"message\":\"again\"}", "[]", "\u0000", "}", ","))),
                () -> utf8(pick(List.of("{\"message\":\"a\",\"message\":\"b\"}", "{\"message\":\"hi\",\"stream\":true,\"stream\":false}"))),
                () -> utf8(pick(List.of("/* c */{\"message\":\"hi\"}", "{\"message\":\"hi\"}// c", "\ufeff{\"message\":\"hi\"}",
                        "{\"message\":'hi'}", "{\"message\":\"hi\",\"stream\":True}"))),
                () -> utf8("{\"message\":\"hi\",\"thread_id\":" + pick(List.of("1", "[]", "{}", "true", "\"\"", "\" \"", "\"../x\"",
                        "\"" + "t".repeat(5000) + "\"", "\"thread_missing\"", "\"" + known.threadId() + "\"", "null")) + "}"));
    }

    private List<Supplier<byte[]>> agentBodies() {
        return List.of(
                () -> utf8(pick(List.of("{", "{\"name\":", "[]", "null", "\"agent\"", "{\"name\":\"n\",}", ""))),
                () -> randomBytes(0, 0xff),
                () -> utf8("{\"name\":\"n\",\"instructions\":\"i\",\"metadata\":" + "[".repeat(3000) + "]".repeat(3000) + "}"),
                () -> concat(utf8("{\"name\":\"n"), new byte[] {(byte) 0xc0, (byte) 0xaf}, utf8("\",\"instructions\":\"i\"}")),
                () -> utf8("{\"name\":\"a\",\"name\":\"b\",\"instructions\":\"i\"}"),
                () -> utf8("{\"id\":" + pick(List.of("\"../etc\"", "\"UPPER\"", "\"\"", "1", "\"" + "a".repeat(500) + "\"", "\"fuzz-x\""))
                        + ",\"name\":" + pick(List.of("\"n\"", "1", "null", "\"" + "n".repeat(300) + "\""))
                        + ",\"instructions\":" + pick(List.of("\"i\"", "[]", "\"\""))
                        + pick(List.of("", ",\"tools\":\"x\"", ",\"tools\":[1]", ",\"tools\":[\"nope\"]", ",\"aliases\":[{}]",
                        ",\"model\":{\"temperature\":\"hot\"}", ",\"model\":{\"temperature\":99}", ",\"model\":[]",
                        ",\"metadata\":{\"a\":1}", ",\"version\":\"x\"", ",\"version\":1.5", ",\"status\":\"gone\"",
                        ",\"model\":{\"max_output_tokens\":-1}", ",\"metadata\":" + manyEntries(100))) + "}"));
    }

    private void brokenFraming(Request request) {
        switch (random.nextInt(22)) {
            case 0 -> {
                request.shape = "lowercase method";
                request.method = request.method.toLowerCase();
                request.expect = Expect.MALFORMED;
            }
            case 1 -> {
                request.shape = "unknown or unusual method";
                request.method = pick(List.of("FOO", "PATCH", "OPTIONS", "TRACE", "M".repeat(1000), "GET\u0000"));
            }
            case 2 -> { request.shape = "unsupported HTTP version"; request.version = pick(List.of("HTTP/2.0", "HTTP/1.2", "HTTP/9", "HTTX/1.1", "http/1.1")); }
            case 3 -> { request.shape = "no HTTP version"; request.version = ""; }
            case 4 -> {
                request.shape = "negative Content-Length";
                request.header("Content-Length", "-1");
                request.expect = Expect.MALFORMED;
            }
            case 5 -> {
                request.shape = "unreadable Content-Length";
                request.header("Content-Length", pick(List.of("abc", "1e3", "+" + request.body.length, "0x5", "99999999999999999999", "")));
                request.expect = Expect.MALFORMED;
            }
            case 6 -> {
                request.shape = "two different Content-Lengths";
                request.header("Content-Length", String.valueOf(request.body.length));
                request.addHeader("Content-Length", String.valueOf(request.body.length + 7));
                request.expect = Expect.MALFORMED;
            }
            case 7 -> {
                request.shape = "Content-Length and Transfer-Encoding";
                request.header("Transfer-Encoding", "chunked");
                request.header("Content-Length", String.valueOf(chunked(request.body).length));
                request.rawBody = chunked(request.body);
                request.expect = Expect.MALFORMED;
            }
            case 8 -> {
                request.shape = "bad chunk size";
                request.header("Transfer-Encoding", "chunked");
                request.contentLength = false;
                request.rawBody = utf8(pick(List.of("zz\r\nab\r\n0\r\n\r\n", "-1\r\n\r\n", "ffffffffffffffffffff\r\nab\r\n0\r\n\r\n",
                        " 2\r\nab\r\n0\r\n\r\n", "2;\u0000\r\nab\r\n0\r\n\r\n")));
                // A route that reads no body may answer before it reads the chunks (and then close): only one that reads them must refuse.
                request.expect = request.headers.containsKey("Content-Type") ? Expect.REFUSED : Expect.ANY;
            }
            case 9 -> {
                request.shape = "a chunked body";
                request.header("Transfer-Encoding", "chunked");
                request.contentLength = false;
                request.rawBody = chunked(request.body);
            }
            case 10 -> { request.shape = "header line without a colon"; request.rawHeaderLines = utf8("this is not a header\r\n"); }
            case 11 -> { request.shape = "space before a header's colon"; request.rawHeaderLines = utf8("Accept : */*\r\n"); }
            case 12 -> { request.shape = "folded header line"; request.rawHeaderLines = utf8("X-Folded: a\r\n  continued\r\n"); }
            case 13 -> { request.shape = "header name with a separator"; request.rawHeaderLines = utf8("Acc(ept: */*\r\n"); }
            case 14 -> {
                request.shape = "control bytes in a header value";
                request.rawHeaderLines = concat(utf8("X-Bad: a"), new byte[] {pick(List.of((byte) 0, (byte) 0x7f, (byte) 0x0b))}, utf8("b\r\n"));
            }
            case 15 -> {
                request.shape = "headers too large: one huge header";
                request.header("X-Large", "h".repeat(pick(List.of(40_000, 60_000))));
                request.expect = Expect.HEADERS_TOO_LARGE;
            }
            case 16 -> {
                request.shape = "headers too large: many headers";
                StringBuilder many = new StringBuilder();
                for (int i = 0; i < 2000; i++) {
                    many.append("X-Many-").append(i).append(": ").append("v".repeat(20)).append("\r\n");
                }
                request.rawHeaderLines = utf8(many.toString());
                request.expect = Expect.HEADERS_TOO_LARGE;
            }
            case 17 -> { request.shape = "no Host header"; request.headers.remove("Host"); }
            case 18 -> { request.shape = "two Host headers"; request.addHeader("Host", "example.com"); }
            case 19 -> { request.shape = "two Content-Types"; request.addHeader("Content-Type", "text/plain"); }
            case 20 -> { request.shape = "bare LF line ends"; request.rawHeaderLines = utf8("X-Lf: a\nX-Lf2: b\n"); }
            default -> {
                request.shape = "Expect with an unknown expectation";
                request.header("Expect", pick(List.of("teapot", "100-continue, x")));
            }
        }
    }

    private void headOnGet(Request request) {
        Route route = pick(ROUTES.stream().filter(r -> r.method().equals("GET") && !r.template().startsWith("/docs")).toList());
        request.method = "HEAD";
        request.target = path(route, known.agentId(), pick(WRITABLE_AGENTS), known.threadId(), known.runId());
        request.shape = "HEAD on a GET route";
        request.expect = Expect.NOT_METHOD_NOT_ALLOWED;
        request.body = new byte[0];
    }

    private void docsHeaders(Request request) {
        request.method = "GET";
        request.target = utf8(pick(List.of("/docs/index.html", "/openapi", "/docs")));
        request.body = new byte[0];
        if (random.nextBoolean()) {
            request.shape = "bad Range";
            request.header("Range", pick(List.of("bytes=99999999-", "bytes=abc", "bytes=5-1", "bytes=-", "bytes=0-0,0-0,0-0", "lines=1-2")));
        } else {
            request.shape = "bad conditional headers";
            request.header(pick(List.of("If-Modified-Since", "If-Unmodified-Since", "If-None-Match")),
                    pick(List.of("garbage", "", "Mon, 99 Foo 2026 99:99:99 GMT", "\"x", "*, \"a\"")));
        }
    }

    private String manyEntries(int count) {
        StringBuilder entries = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            entries.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        return entries.append('}').toString();
    }

    private byte[] randomBytes(int from, int to) {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (from + random.nextInt(to - from + 1));
        }
        return bytes;
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (body.length > 0) {
            out.writeBytes(utf8(Integer.toHexString(body.length) + "\r\n"));
            out.writeBytes(body);
            out.writeBytes(utf8("\r\n"));
        }
        out.writeBytes(utf8("0\r\n\r\n"));
        return out.toByteArray();
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
