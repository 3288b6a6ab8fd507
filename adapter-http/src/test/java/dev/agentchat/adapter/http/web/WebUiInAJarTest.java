package dev.agentchat.adapter.http.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.http.edge.HeadAsGet;
import dev.agentchat.adapter.http.problem.Problems;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI as it is deployed, inside a jar: a jar answers a folder's name with the folder's entry, which must not be
 * served as an empty file.
 */
class WebUiInAJarTest {
    @TempDir
    Path dir;
    private URLClassLoader loader;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        Path jar = dir.resolve("ui.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String folder : new String[] {"ui/", "ui/assets/", "ui/assets/fonts/"}) {
                out.putNextEntry(new JarEntry(folder));
                out.closeEntry();
            }
            write(out, "ui/index.html", "<!doctype html><title>in a jar</title>");
            write(out, "ui/assets/app-1a2B.js", "console.log('from the jar');");
            write(out, "ui/assets/fonts/inter.woff2", "font");
        }
        loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        WebUi ui = WebUi.in("ui", loader).orElseThrow();
        server = WebServer.builder().host("127.0.0.1").port(0).featuresDiscoverServices(false).shutdownHook(false)
                .routing(routing -> {
                    Problems.handleErrors(routing);
                    ui.routing(HeadAsGet.rules(routing));
                }).build().start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop();
        http.close();
        loader.close();
    }

    @Test
    void files_in_the_jar_are_served_and_its_folders_are_not_found() throws Exception {
        assertThat(get("/agents/a").body()).isEqualTo("<!doctype html><title>in a jar</title>");
        assertThat(get("/assets/app-1a2B.js").body()).isEqualTo("console.log('from the jar');");
        assertThat(get("/assets/fonts").statusCode()).isEqualTo(404);
        assertThat(get("/assets/fonts").headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(WebUi.in("ui/assets", loader)).as("a folder without a page is no UI").isEmpty();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void write(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
