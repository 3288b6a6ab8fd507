package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser the other browser tests stand on: the system's Chromium at a desktop's and a phone's size, its
 * console kept for failure messages, nothing left behind when it closes, and a clear failure (never a skip) on
 * a machine where Chromium is missing and cannot be installed.
 */
class BrowserLaunchTest {
    /** What a page asks to measure its screen: its viewport, pixel ratio and pointer. */
    private static final String SCREEN = "return [window.innerWidth, window.innerHeight, window.devicePixelRatio,"
            + " window.matchMedia('(pointer: coarse)').matches]";

    @Test
    void a_desktop_has_a_desktop_viewport_and_a_phone_a_phones_and_both_keep_it_across_a_reset_that_forgets_the_last_page()
            throws IOException {
        // The page asks for the device's width, as the UI's does (a phone lays a page out 980 px wide otherwise).
        // It is served over HTTP as session storage needs an origin, which a data: page has not.
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", exchange -> {
            byte[] page = "<!doctype html><meta name=viewport content='width=device-width, initial-scale=1'><p>page"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        origin.start();
        String page = "http://127.0.0.1:" + origin.getAddress().getPort() + "/";
        try {
            for (Browser.Screen screen : Browser.Screen.values()) {
                try (Browser browser = Browser.start(Chromium.installed(), "reused", screen)) {
                    browser.driver().get(page);
                    browser.script("sessionStorage.setItem('left', 'behind'); console.error('from the last test')");
                    List<Object> expected = screen == Browser.Screen.DESKTOP
                            ? List.of(1280L, 800L, 1L, false) : List.of(375L, 812L, 2L, true);
                    assertThat(browser.script(SCREEN)).as(screen.name()).isEqualTo(expected);

                    browser.reset();
                    browser.driver().get(page);

                    assertThat(browser.script(SCREEN)).as(screen.name() + " after a reset").isEqualTo(expected);
                    assertThat(browser.script("return sessionStorage.getItem('left')")).isNull();
                    assertThat(browser.driver().getWindowHandles()).hasSize(1);
                    assertThat(browser.describe()).doesNotContain("from the last test");
                }
            }
        } finally {
            origin.stop(0);
        }
    }

    @Test
    void what_the_page_logs_is_kept_for_a_failure_message() {
        try (Browser browser = Browser.start(Chromium.installed(), "logging", Browser.Screen.DESKTOP)) {
            browser.driver().get("about:blank");
            browser.script("console.error('the page says: something broke')");

            assertThat(browser.describe()).contains("logging", "about:blank", "the page says: something broke");
        }
    }

    @Test
    void a_closed_browser_leaves_no_process_and_no_profile_behind() {
        Browser browser = Browser.start(Chromium.installed(), "closing", Browser.Screen.DESKTOP);
        browser.driver().get("about:blank");
        assertThat(chromiumProcesses()).isNotEmpty();
        assertThat(processesUsing(browser.profile())).isNotEmpty();
        assertThat(browser.profile()).isDirectory().isNotEmptyDirectory();

        browser.close();

        Await.until(() -> chromiumProcesses().isEmpty() && processesUsing(browser.profile()).isEmpty(), Browser.PATIENCE);
        assertThat(browser.profile()).doesNotExist();
    }

    @Test
    void a_missing_chromium_that_cannot_be_installed_fails_the_test_saying_what_to_install(@TempDir Path folder) throws IOException {
        Path installer = folder.resolve("ensure-chromium");
        Files.writeString(installer, "#!/bin/sh\necho 'E: Unable to locate package chromium-driver'\nexit 100\n");
        Files.setPosixFilePermissions(installer, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> nowhere = Map.of("CHROMIUM_BIN", folder.resolve("chromium").toString(),
                "CHROMEDRIVER_BIN", folder.resolve("chromedriver").toString());

        assertThatThrownBy(() -> Chromium.locate(nowhere, installer))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("apt-get install -y chromium chromium-driver")
                .hasMessageContaining("CHROMIUM_BIN")
                .hasMessageContaining("E: Unable to locate package chromium-driver");
    }

    @Test
    void a_chromium_installed_by_the_installer_is_found_after_it_ran(@TempDir Path folder) throws IOException {
        Path browser = folder.resolve("chromium");
        Path driver = folder.resolve("chromedriver");
        Path installer = folder.resolve("ensure-chromium");
        // The installer is told where to put them, as scripts/ensure-chromium is told where to look.
        Files.writeString(installer, """
                #!/bin/sh
                printf '#!/bin/sh\\n' > "$CHROMIUM_BIN" && chmod +x "$CHROMIUM_BIN"
                printf '#!/bin/sh\\n' > "$CHROMEDRIVER_BIN" && chmod +x "$CHROMEDRIVER_BIN"
                """);
        Files.setPosixFilePermissions(installer, PosixFilePermissions.fromString("rwx------"));

        Chromium found = Chromium.locate(Map.of("CHROMIUM_BIN", browser.toString(), "CHROMEDRIVER_BIN", driver.toString()),
                installer);

        assertThat(found).isEqualTo(new Chromium(browser, driver));
    }

    /** The Chromium and chromedriver processes this test JVM started (other builds' browsers are not ours). */
    private static List<ProcessHandle> chromiumProcesses() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.contains("chrom")).orElse(false))
                .toList();
    }

    /** Every process of the machine started with {@code profile}: one a closing browser left could have another parent. */
    private static List<ProcessHandle> processesUsing(Path profile) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().arguments().stream().flatMap(java.util.Arrays::stream)
                        .anyMatch(argument -> argument.contains(profile.toString())))
                .toList();
    }
}
