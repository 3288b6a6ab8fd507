package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.http.auth.Authentication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI served from a folder of the test class path ({@code web-fixture}, shaped as the UI's build is): its
 * page at every address the UI routes to, its assets with their types and cache rules, conditional and compressed
 * answers, and no way out of the folder.
 */
class WebUiRoutesTest {
    static final String FOLDER = "web-fixture";
    static final String SCRIPT = "/assets/index-B7pQ2-aZ.js";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiOverMemory service;
    private ApiClient client;

    @BeforeEach
    void start() {
        service = new ApiOverMemory(Authentication.off(Optional.empty()), settings -> settings.withWebUiFolder(FOLDER));
        client = new ApiClient(service.port());
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
        service.close();
    }

    @Test
    void the_page_is_served_at_the_root_and_at_every_deep_link_of_the_ui() {
        for (String path : List.of("/", "/agents/support-triage", "/agents/support-triage/threads/thread_5de6",
                "/agents/no-such-agent?from=bookmark")) {
            ApiClient.Answer page = client.get(path);

            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.header("Content-Type")).as(path).isEqualTo("text/html; charset=UTF-8");
            assertThat(page.header("Cache-Control")).as(path).isEqualTo("no-cache");
            assertThat(page.header("ETag")).as(path).matches("\"[A-Za-z0-9_-]+\"");
            assertThat(page.body()).as(path).isEqualTo(fixture("index.html"));
        }
    }

    @Test
    void assets_are_served_with_their_type_and_may_be_kept_for_a_year() {
        record Expected(String path, String type) {
        }
        for (Expected expected : List.of(new Expected(SCRIPT, "text/javascript; charset=UTF-8"),
                new Expected("/assets/index-Dq3_x9Zk.css", "text/css; charset=UTF-8"),
                new Expected("/assets/inter-Kd8.woff2", "font/woff2"),
                new Expected(SCRIPT + ".map", "application/json"))) {
            HttpResponse<byte[]> asset = bytes(request(expected.path()));

            assertThat(asset.statusCode()).as(expected.path()).isEqualTo(200);
            assertThat(asset.headers().firstValue("Content-Type")).as(expected.path()).contains(expected.type());
            assertThat(asset.headers().firstValue("Cache-Control")).as(expected.path())
                    .contains("public, max-age=31536000, immutable");
            assertThat(asset.headers().firstValue("Content-Encoding")).as(expected.path()).isEmpty();
            assertThat(asset.body()).as(expected.path()).isEqualTo(fixtureBytes(expected.path().substring(1)));
        }
    }

    @Test
    void the_icon_is_served_as_svg_and_asked_for_again_on_each_visit() {
        ApiClient.Answer icon = client.get("/favicon.svg");

        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.header("Content-Type")).isEqualTo("image/svg+xml");
        assertThat(icon.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(icon.body()).isEqualTo(fixture("favicon.svg"));
    }

    @Test
    void a_file_the_browser_already_has_is_answered_304_without_a_body() {
        for (String path : List.of("/", "/agents/support-triage", SCRIPT, "/favicon.svg")) {
            String tag = client.get(path).header("ETag");

            HttpResponse<byte[]> again = bytes(request(path).header("If-None-Match", tag));
            HttpResponse<byte[]> weakly = bytes(request(path).header("If-None-Match", "\"other\", W/" + tag));
            HttpResponse<byte[]> changed = bytes(request(path).header("If-None-Match", "\"an-older-build\""));

            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).as(path).isEmpty();
            assertThat(again.headers().firstValue("ETag")).as(path).contains(tag);
            assertThat(weakly.statusCode()).as(path + ", the tag in a list and weak").isEqualTo(304);
            assertThat(changed.statusCode()).as(path + ", another tag").isEqualTo(200);
        }
    }

    @Test
    void text_is_sent_gzipped_to_a_browser_that_accepts_it_and_plain_to_one_that_does_not() throws IOException {
        HttpResponse<byte[]> packed = bytes(request(SCRIPT).header("Accept-Encoding", "gzip, deflate, br, zstd"));
        HttpResponse<byte[]> plain = bytes(request(SCRIPT).header("Accept-Encoding", "gzip;q=0, identity"));
        HttpResponse<byte[]> none = bytes(request(SCRIPT));
        byte[] original = fixtureBytes(SCRIPT.substring(1));

        assertThat(packed.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(packed.headers().firstValue("Vary")).contains("Accept-Encoding");
        assertThat(packed.body().length).isLessThan(original.length / 2);
        try (InputStream unpacked = new GZIPInputStream(new ByteArrayInputStream(packed.body()))) {
            assertThat(unpacked.readAllBytes()).isEqualTo(original);
        }
        assertThat(packed.headers().firstValue("ETag")).as("each encoding has its own tag")
                .isNotEqualTo(none.headers().firstValue("ETag"));
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(original);
        assertThat(none.body()).isEqualTo(original);
        assertThat(bytes(request("/assets/inter-Kd8.woff2").header("Accept-Encoding", "gzip")).headers()
                .firstValue("Content-Encoding")).as("a font is compressed already").isEmpty();
    }

    @Test
    void head_answers_as_get_would_without_a_body() {
        for (String path : List.of("/", "/agents/a/threads/t", SCRIPT)) {
            HttpResponse<byte[]> get = bytes(request(path));
            HttpResponse<byte[]> head = bytes(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));

            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Length")).as(path).contains(Integer.toString(get.body().length));
            for (String header : List.of("Content-Type", "Cache-Control", "ETag", "Content-Security-Policy")) {
                assertThat(head.headers().firstValue(header)).as(path + " " + header).isEqualTo(get.headers().firstValue(header));
            }
        }
    }

    @Test
    void a_file_the_ui_does_not_have_is_a_not_found_problem() {
        for (String path : List.of("/assets/index-missing.js", "/assets/nested", "/assets/nested/inner.js", "/assets/",
                "/index.html", "/favicon.ico", "/agents/a/threads/t/more")) {
            ApiClient.Answer missing = client.get(path);

            assertThat(missing.status()).as(path).isEqualTo(404);
            assertThat(missing.header("Content-Type")).as(path).isEqualTo("application/problem+json");
            assertThat(missing.json().get("code").asText()).as(path).isEqualTo("not_found");
        }
    }

    @Test
    void no_path_reaches_a_file_outside_the_ui_folder() {
        List<String> attempts = List.of(
                "/assets/../../outside-the-ui.txt",
                "/assets/..%2f..%2foutside-the-ui.txt",
                "/assets/%2e%2e/%2e%2e/outside-the-ui.txt",
                "/assets/%2e%2e%2f%2e%2e%2foutside-the-ui.txt",
                "/assets/%2E%2E%2F%2E%2E%2FMETA-INF%2Fopenapi.yaml",
                "/assets/..%5c..%5coutside-the-ui.txt",
                "/assets/..\\..\\outside-the-ui.txt",
                "/assets/%2e%2e%5c%2e%2e%5coutside-the-ui.txt",
                "//assets//..//..//outside-the-ui.txt",
                "/assets//outside-the-ui.txt",
                "/assets/.%2e/.%2e/outside-the-ui.txt",
                "/assets/%252e%252e%252foutside-the-ui.txt",
                "/assets/nested%2finner.js",
                "/assets/..",
                "/assets/.",
                "/favicon.svg/..%2f..%2foutside-the-ui.txt",
                "/agents/..%2f..%2foutside-the-ui.txt");
        for (String target : attempts) {
            RawAnswer answer = raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

            assertThat(answer.text()).as(target).doesNotContain("not part of the UI").doesNotContain("openapi:")
                    .doesNotContain("export const inner");
            // A dot segment is resolved before routing (RFC 3986 section 5.2.4): "/assets/.." is "/", the page.
            if (answer.status() == 200) {
                assertThat(answer.text()).as(target).endsWith("\r\n\r\n" + fixture("index.html"));
            } else {
                assertThat(answer.status()).as(target).isIn(400, 404);
            }
        }
    }

    @Test
    void the_ui_is_no_operation_of_the_api_so_its_routes_stay_out_of_the_table_the_document_is_held_to() {
        assertThat(service.api.routes()).extracting(RouteTable.Route::path)
                .noneMatch(path -> path.equals("/") || path.startsWith("/agents/") || path.startsWith("/assets/")
                        || path.equals("/favicon.svg"))
                .contains("/auth/config");
        assertThat(client.get("/").status()).as("yet they are served").isEqualTo(200);
    }

    @Test
    void other_methods_on_the_ui_paths_are_refused_with_the_methods_allowed() {
        for (String path : List.of("/", "/agents/a", SCRIPT)) {
            ApiClient.Answer posted = client.post(path, "{}");

            assertThat(posted.status()).as(path).isEqualTo(405);
            assertThat(posted.header("Allow")).as(path).isEqualTo("GET");
        }
    }

    @Test
    void without_the_ui_on_the_class_path_its_paths_are_not_found_and_the_api_answers() {
        // A folder the test class path does not have (the UI's own), and one with files but no page.
        for (String folder : List.of("agentchat-web", "web-fixture/assets")) {
            try (ApiOverMemory without = new ApiOverMemory(Authentication.off(Optional.empty()),
                    settings -> settings.withWebUiFolder(folder)); ApiClient other = new ApiClient(without.port())) {
                assertThat(without.api.servesWebUi()).as(folder).isFalse();
                for (String path : List.of("/", "/agents/support-triage", "/assets/index-B7pQ2-aZ.js", "/favicon.svg")) {
                    ApiClient.Answer missing = other.get(path);
                    assertThat(missing.status()).as(folder + " " + path).isEqualTo(404);
                    assertThat(missing.json().get("code").asText()).isEqualTo("not_found");
                }
                assertThat(other.get("/health").status()).isEqualTo(200);
                assertThat(other.get("/api/agents").status()).isEqualTo(200);
                assertThat(other.get("/auth/config").status()).isEqualTo(200);
            }
        }
        assertThat(service.api.servesWebUi()).isTrue();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<byte[]> bytes(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer to a request written byte for byte (a client library would tidy the paths these tests need). */
    record RawAnswer(int status, String text) {
    }

    private RawAnswer raw(String request) {
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            // Read by its length: the connection may stay open after the answer.
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (!all.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                all.write(next);
            }
            String length = header(all.toString(StandardCharsets.ISO_8859_1), "content-length");
            all.write(in.readNBytes(length == null ? 0 : Integer.parseInt(length)));
            String text = all.toString(StandardCharsets.ISO_8859_1);
            String[] statusLine = text.split("\r\n", 2)[0].split(" ");
            ApiDocument.get().checkRefusal(Integer.parseInt(statusLine[1]), header(text, "content-type"),
                    text.contains("\r\n\r\n") ? text.substring(text.indexOf("\r\n\r\n") + 4) : "");
            return new RawAnswer(Integer.parseInt(statusLine[1]), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(String answer, String name) {
        for (String line : answer.split("\r\n\r\n", 2)[0].split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    static String fixture(String path) {
        return new String(fixtureBytes(path), StandardCharsets.UTF_8);
    }

    static byte[] fixtureBytes(String path) {
        try (InputStream in = WebUiRoutesTest.class.getClassLoader().getResourceAsStream(FOLDER + "/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no " + FOLDER + "/" + path + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
