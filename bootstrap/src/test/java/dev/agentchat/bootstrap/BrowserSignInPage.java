package dev.agentchat.bootstrap;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.HasCdp;

/**
 * The UI in a {@link Browser}, found as a person with a screen reader finds it: by role and accessible name.
 *
 * <p>Two DevTools commands prepare the browser for signing in against the local issuer: certificate errors are
 * ignored (its certificate is self-signed; only this test's browser is told so), and every page gets
 * {@link BrowserSignInNetwork}'s recorder of the page's calls before its own scripts run.
 */
final class BrowserSignInPage {
    /**
     * A page clock the test can move on, as Playwright's {@code page.clock} does: {@code Date} and {@code Date.now}
     * answer the real time plus an offset, in this document only (a new page starts on the real time again).
     */
    private static final String PAGE_CLOCK = """
            (() => {
              const RealDate = Date;
              let offset = 0;
              class PageDate extends RealDate {
                constructor(...parts) {
                  if (parts.length === 0) super(RealDate.now() + offset); else super(...parts);
                }
                static now() { return RealDate.now() + offset; }
              }
              window.Date = PageDate;
              Object.defineProperty(window, "__movePageClock", { value: (ms) => { offset += ms; } });
            })();
            """;

    private final Browser browser;
    private final String origin;
    private final BrowserSignInNetwork network;

    private BrowserSignInPage(Browser browser, String origin) {
        this.browser = browser;
        this.origin = origin;
        this.network = new BrowserSignInNetwork(browser, origin);
    }

    static BrowserSignInPage in(Browser browser, String origin) {
        HasCdp devTools = (HasCdp) browser.driver();
        devTools.executeCdpCommand("Security.setIgnoreCertificateErrors", Map.of("ignore", true));
        devTools.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", PAGE_CLOCK + BrowserSignInNetwork.RECORDER));
        return new BrowserSignInPage(browser, origin);
    }

    void visit(String path) {
        browser.driver().get(origin + path);
    }

    /** Moves this page's clock on, as if {@code time} had passed. */
    void movePageClock(java.time.Duration time) {
        browser.script("window.__movePageClock(arguments[0])", time.toMillis());
    }

    BrowserSignInNetwork network() {
        return network;
    }

    String text() {
        return browser.driver().findElement(By.tagName("body")).getText();
    }

    /** The button with this accessible name, once there is one. */
    WebElement button(String name) {
        return awaitNamed(By.tagName("button"), name);
    }

    WebElement messageBox() {
        return awaitNamed(By.tagName("textarea"), "Message");
    }

    void awaitSignedInAs(String name) {
        button("Sign out");
        awaitUntil("the name " + name + " shown", () -> text().contains(name));
    }

    void type(String message) {
        WebElement box = messageBox();
        box.clear();
        box.sendKeys(message);
    }

    void send(String message) {
        type(message);
        button("Send").click();
    }

    /** Waits for the last assistant message to be complete and answers its rendered text. */
    String awaitLastAnswerComplete() {
        awaitUntil("a complete answer", () -> {
            List<WebElement> answers = answers();
            return !answers.isEmpty() && "complete".equals(answers.getLast().getDomAttribute("data-status"));
        });
        return answers().getLast().findElement(By.className("message-body")).getText();
    }

    private List<WebElement> answers() {
        return browser.driver().findElements(By.cssSelector("article[data-role='assistant']"));
    }

    String address() {
        return browser.driver().getCurrentUrl();
    }

    void awaitUntil(String what, BooleanSupplier condition) {
        browser.waitFor(what, driver -> {
            try {
                return condition.getAsBoolean();
            } catch (StaleElementReferenceException e) {
                return false; // the UI re-rendered between finding and reading: look again
            }
        });
    }

    private WebElement awaitNamed(By kind, String name) {
        WebElement[] found = new WebElement[1];
        awaitUntil("a " + kind + " named '" + name + "'", () -> {
            for (WebElement element : browser.driver().findElements(kind)) {
                if (name.equals(element.getAccessibleName()) && element.isDisplayed()) {
                    found[0] = element;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
