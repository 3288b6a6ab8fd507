package dev.agentchat.bootstrap;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium driven through the system's chromedriver, with a profile of its own that is deleted
 * when it closes. It keeps the page's console output, so that a failing test can say what the page said.
 */
final class Browser implements AutoCloseable {
    /**
     * Without these Chromium waits on the network for its first-run, sync, component-update and QUIC
     * work, and hangs on a closed network; {@code --no-sandbox} because the tests may run as root.
     */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--no-default-browser-check", "--password-store=basic");
    /** How long a test waits for the page by default: generous, as two builds may share a small machine. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    /** The screen a browser has: a desktop window, or a phone emulated by Chromium (its width, touch and pixel ratio). */
    enum Screen {
        DESKTOP(1280, 800),
        PHONE(375, 812);

        final int width;
        final int height;

        Screen(int width, int height) {
            this.width = width;
            this.height = height;
        }
    }

    final String name;
    final Screen screen;
    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> console = new ArrayList<>();
    private boolean closed;

    private Browser(String name, Screen screen, ChromeDriver driver, Path profile) {
        this.name = name;
        this.screen = screen;
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a Chromium with a fresh profile and the given screen. */
    static Browser start(Chromium chromium, String name, Screen screen) {
        Path profile = createProfile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.browser().toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        switch (screen) {
            case DESKTOP -> options.addArguments("--window-size=" + screen.width + "," + screen.height);
            // Chromium's own phone emulation: the page sees a 375 px wide viewport, touch and a phone's pixel
            // ratio, as it would on the phone, rather than a narrow desktop window.
            case PHONE -> options.setExperimentalOption("mobileEmulation", Map.of(
                    "deviceMetrics", Map.of("width", screen.width, "height", screen.height, "pixelRatio", 2.0, "touch", true),
                    "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                            + "Chrome/150.0.0.0 Mobile Safari/537.36"));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The executable is named, so Selenium Manager never looks for (or downloads) a driver.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromium.driver().toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            if (screen == Screen.DESKTOP) {
                fitViewport(driver, screen);
            }
            return new Browser(name, screen, driver, profile);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile(profile);
            throw new AssertionError("Chromium (" + chromium.browser() + " with " + chromium.driver()
                    + ") did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the page's viewport (not the window around it) the screen's size: headless Chromium still counts
     * a window frame and toolbar into {@code --window-size}.
     */
    private static void fitViewport(ChromeDriver driver, Screen screen) {
        @SuppressWarnings("unchecked")
        List<Long> frame = (List<Long>) driver.executeScript(
                "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]");
        driver.manage().window().setSize(new Dimension(screen.width + frame.get(0).intValue(),
                screen.height + frame.get(1).intValue()));
    }

    /** The profile folder this browser was started with (deleted when it closes). */
    Path profile() {
        return profile;
    }

    WebDriver driver() {
        return driver;
    }

    /** Runs a script in the page and returns what it returns (see {@link ChromeDriver#executeScript}). */
    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /** Waits until {@code condition} returns something other than null or false, failing after {@link #PATIENCE}. */
    <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return waitFor(what, PATIENCE, condition);
    }

    <T> T waitFor(String what, Duration within, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, within, Duration.ofMillis(25));
        wait.withMessage(() -> what + " (in " + name + ", at " + driver.getCurrentUrl() + ")");
        return wait.until(condition);
    }

    /** Everything the page has written to its console so far, one line an entry. */
    synchronized List<String> console() {
        if (!closed) {
            try {
                for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                    console.add(entry.getLevel() + " " + entry.getMessage());
                }
            } catch (RuntimeException e) {
                console.add("(the console could not be read: " + e.getMessage() + ")");
            }
        }
        return List.copyOf(console);
    }

    /**
     * Leaves the page for a new, blank tab (ending the page's streams and its session storage, which belongs to
     * a tab) and forgets the console, so that the next test starts as in a new browser.
     */
    synchronized void reset() {
        String fresh = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
        for (String window : driver.getWindowHandles()) {
            if (!window.equals(fresh)) {
                driver.switchTo().window(window).close();
            }
        }
        driver.switchTo().window(fresh);
        driver.manage().deleteAllCookies();
        console();
        console.clear();
    }

    /** Saves what the browser shows as a PNG file. */
    Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a failure message should say about this browser: where it was, and what its page logged. */
    String describe() {
        String url;
        try {
            url = closed ? "(closed)" : driver.getCurrentUrl();
        } catch (RuntimeException e) {
            url = "(unknown: " + e.getMessage() + ")";
        }
        List<String> lines = console();
        return "Browser " + name + " (" + screen + ") at " + url + ", console:"
                + (lines.isEmpty() ? " (empty)" : "\n  " + String.join("\n  ", lines));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        console();
        closed = true;
        try {
            // Quitting also stops chromedriver, which ends the Chromium processes it started.
            driver.quit();
        } finally {
            deleteProfile(profile);
        }
    }

    private static Path createProfile() {
        try {
            return Files.createTempDirectory("agentchat-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteProfile(Path profile) {
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Chromium may still be writing a file as it exits: one more pass gets what it left.
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }
}
