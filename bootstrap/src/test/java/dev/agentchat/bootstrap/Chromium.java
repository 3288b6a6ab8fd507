package dev.agentchat.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The system's Chromium and its chromedriver, as the browser tests use them: found at the Debian paths (or
 * {@code CHROMIUM_BIN} / {@code CHROMEDRIVER_BIN}), and when missing installed once from the system's packages by
 * {@code scripts/ensure-chromium}. A machine where that cannot happen fails the tests with what to install: a
 * browser test is never skipped.
 *
 * <p>Only the system's packages are used: Selenium Manager and npm's browser downloads reach the internet,
 * which a build machine may not.
 */
record Chromium(Path browser, Path driver) {
    static final Path DEBIAN_BROWSER = Path.of("/usr/bin/chromium");
    static final Path DEBIAN_DRIVER = Path.of("/usr/bin/chromedriver");
    /** Long enough for apt-get to fetch and install Chromium on a slow mirror. */
    private static final long INSTALL_MINUTES = 15;

    /** What the one look for Chromium found: the installer runs at most once per test JVM. */
    private static Chromium installed;
    private static ChromiumMissing missing;

    /** The installed Chromium, installing it first if it is missing; fails saying what to install when it cannot. */
    static synchronized Chromium installed() {
        if (installed == null && missing == null) {
            try {
                installed = locate(System.getenv(), findInstaller());
            } catch (ChromiumMissing e) {
                missing = e;
            }
        }
        if (missing != null) {
            throw new ChromiumMissing(missing.getMessage());
        }
        return installed;
    }

    /**
     * Finds Chromium and chromedriver where {@code environment} says (or at the Debian paths), running
     * {@code installer} once when either is missing.
     *
     * @throws ChromiumMissing when they are still missing after that, naming what to install
     */
    static Chromium locate(Map<String, String> environment, Path installer) {
        Function<String, Optional<Path>> setting = name -> Optional.ofNullable(environment.get(name))
                .filter(value -> !value.isBlank()).map(Path::of);
        Path browser = setting.apply("CHROMIUM_BIN").orElse(DEBIAN_BROWSER);
        Path driver = setting.apply("CHROMEDRIVER_BIN").orElse(DEBIAN_DRIVER);
        if (Files.isExecutable(browser) && Files.isExecutable(driver)) {
            return new Chromium(browser, driver);
        }
        String said = install(installer, browser, driver);
        if (Files.isExecutable(browser) && Files.isExecutable(driver)) {
            return new Chromium(browser, driver);
        }
        throw new ChromiumMissing("""
                The browser tests need Chromium and its chromedriver: %s and %s are not both there, and %s could \
                not install them.
                Install them from the system's packages (Debian: apt-get install -y chromium chromium-driver; \
                Ubuntu: apt-get install -y chromium-browser chromium-chromedriver), or set CHROMIUM_BIN and \
                CHROMEDRIVER_BIN to a Chromium and the chromedriver of the same version.
                %s said:
                %s""".formatted(browser, driver, installer, installer.getFileName(), said.strip()));
    }

    /** Runs the installer with the paths looked for, and returns what it printed. */
    private static String install(Path installer, Path browser, Path driver) {
        return InstallScript.run(installer, Path.of("").toAbsolutePath(), Map.of("CHROMIUM_BIN", browser.toString(),
                "CHROMEDRIVER_BIN", driver.toString()), Duration.ofMinutes(INSTALL_MINUTES)).output();
    }

    /** scripts/ensure-chromium of this checkout: the tests run in a module's folder, below the project's. */
    static Path findInstaller() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path script = folder.resolve("scripts/ensure-chromium");
            if (Files.exists(script)) {
                return script;
            }
        }
        return Path.of("scripts/ensure-chromium").toAbsolutePath();
    }

    /** Chromium is not on this machine and could not be installed: the message says what to install. */
    static final class ChromiumMissing extends AssertionError {
        ChromiumMissing(String message) {
            super(message);
        }
    }
}
