package dev.agentchat.bootstrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The browsers (and the services they talk to) of a class of browser tests. A test asks for the browsers it
 * needs; after it, its services are closed once its pages are left (so that no page still reads a stream from a
 * service that stops), and its browsers are kept for the class's next test, started afresh only if they fail to
 * reset: starting Chromium costs seconds on a busy machine. All are closed after the class. A failing test's
 * message gets each of its browsers' address and console, and a screenshot of each is saved under
 * {@code target/browser-failures/}.
 *
 * <p>Register it on a static field ({@code @RegisterExtension static final Browsers browsers = new Browsers();}):
 * JUnit runs no after-all callback of an extension on an instance field.
 */
final class Browsers implements AfterEachCallback, AfterAllCallback, TestExecutionExceptionHandler {
    static final Path FAILURES = Path.of("target", "browser-failures");

    /** The browsers of the test running now, in the order it asked for them. */
    private final List<Browser> open = new ArrayList<>();
    /** Browsers an earlier test of the class left, reset to a blank page. */
    private final List<Browser> idle = new ArrayList<>();
    private final List<AutoCloseable> services = new ArrayList<>();

    /** A new Chromium at desktop size (1280 x 800). */
    Browser desktop() {
        return start("desktop-" + (open.size() + 1), Browser.Screen.DESKTOP);
    }

    /** A new Chromium emulating a phone 375 px wide. */
    Browser phone() {
        return start("phone-" + (open.size() + 1), Browser.Screen.PHONE);
    }

    private Browser start(String name, Browser.Screen screen) {
        Browser browser = idle.stream().filter(kept -> kept.screen == screen).findFirst()
                .orElseGet(() -> Browser.start(Chromium.installed(), name, screen));
        idle.remove(browser);
        open.add(browser);
        return browser;
    }

    /** Closes {@code service} after the test, once its browsers are closed. */
    <T extends AutoCloseable> T serving(T service) {
        services.add(service);
        return service;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (open.isEmpty()) {
            throw thrown;
        }
        StringBuilder states = new StringBuilder();
        for (Browser browser : open) {
            states.append("\n\n").append(browser.describe());
            try {
                Path file = FAILURES.resolve(context.getRequiredTestClass().getSimpleName() + "."
                        + context.getRequiredTestMethod().getName() + "-" + browser.name + ".png");
                states.append("\n  screenshot: ").append(browser.screenshot(file).toAbsolutePath());
            } catch (RuntimeException e) {
                states.append("\n  (no screenshot: ").append(e.getMessage()).append(')');
            }
        }
        AssertionError described = new AssertionError(thrown.getMessage() + states, thrown);
        described.setStackTrace(thrown.getStackTrace());
        throw described;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        for (Browser browser : open) {
            try {
                browser.reset();
                idle.add(browser);
            } catch (RuntimeException e) {
                closing.add(browser);
            }
        }
        open.clear();
        closing.addAll(services.reversed());
        services.clear();
        closeAll(closing);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<AutoCloseable> closing = new ArrayList<>(idle);
        idle.clear();
        closeAll(closing);
    }

    private static void closeAll(List<AutoCloseable> closing) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : closing) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
