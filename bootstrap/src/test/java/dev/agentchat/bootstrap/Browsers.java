package dev.agentchat.bootstrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The browsers (and the services they talk to) of one browser test: opened when the test asks, closed after it,
 * browsers first so that no page is still reading a stream from a service that stops. A failing test's message
 * gets each browser's address and console, and a screenshot of it is saved under
 * {@code target/browser-failures/}.
 *
 * <p>Register it on an instance field ({@code @RegisterExtension final Browsers browsers = new Browsers();}).
 */
final class Browsers implements AfterEachCallback, TestExecutionExceptionHandler {
    static final Path FAILURES = Path.of("target", "browser-failures");

    private final List<Browser> open = new ArrayList<>();
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
        Browser browser = Browser.start(Chromium.installed(), name, screen);
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
        Exception first = null;
        for (AutoCloseable closing : closingOrder()) {
            try {
                closing.close();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e instanceof Exception exception ? exception : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        services.clear();
        if (first != null) {
            throw first;
        }
    }

    private List<AutoCloseable> closingOrder() {
        List<AutoCloseable> order = new ArrayList<>(open.reversed());
        order.addAll(services.reversed());
        return order;
    }
}
