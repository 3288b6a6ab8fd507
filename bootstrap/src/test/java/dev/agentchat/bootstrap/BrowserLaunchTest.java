package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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

    @Test
    void a_desktop_browser_has_a_desktop_window_and_a_phone_browser_a_phone_viewport() {
        try (Browser desktop = Browser.start(Chromium.installed(), "desktop", Browser.Screen.DESKTOP);
                Browser phone = Browser.start(Chromium.installed(), "phone", Browser.Screen.PHONE)) {
            // A page that asks for the device's width, as the UI's does; without it a phone lays pages out 980 px wide.
            String page = "data:text/html,<meta name=viewport content='width=device-width, initial-scale=1'><p>page";
            desktop.driver().get(page);
            phone.driver().get(page);

            assertThat(desktop.script("return [window.innerWidth, window.innerHeight]")).isEqualTo(List.of(1280L, 800L));
            assertThat(phone.script("return [window.innerWidth, window.innerHeight, window.devicePixelRatio]"))
                    .isEqualTo(List.of(375L, 812L, 2L));
            assertThat(phone.script("return window.matchMedia('(pointer: coarse)').matches")).isEqualTo(true);
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
    void a_closed_browser_leaves_no_process_and_no_profile_behind() throws IOException {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> profilesBefore = profiles(temp);
        Browser browser = Browser.start(Chromium.installed(), "closing", Browser.Screen.DESKTOP);
        browser.driver().get("about:blank");
        assertThat(chromiumProcesses()).isNotEmpty();
        assertThat(profiles(temp)).hasSize(profilesBefore.size() + 1);

        browser.close();

        Await.until(() -> chromiumProcesses().isEmpty(), Browser.PATIENCE);
        assertThat(profiles(temp)).containsExactlyInAnyOrderElementsOf(profilesBefore);
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

    private static List<Path> profiles(Path temp) throws IOException {
        try (var files = Files.list(temp)) {
            return files.filter(file -> file.getFileName().toString().startsWith("agentchat-chromium-")).toList();
        }
    }
}
