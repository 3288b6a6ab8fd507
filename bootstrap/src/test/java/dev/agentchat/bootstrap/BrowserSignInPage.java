package dev.agentchat.bootstrap;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The UI in a {@link Browser} while signing in, found by accessible name ({@link BrowserNames}).
 *
 * <p>Through DevTools every page gets, before its own scripts, {@link BrowserSignInNetwork}'s recorder of the
 * page's calls; {@link #withLocalIssuer} also has the browser
 * ignore certificate errors, as the local issuer's certificate is self-signed (only these tests' browsers are
 * told so).
 */
final class BrowserSignInPage {
    /** The rendered text of the last answer if it is complete, else null. */
    private static final String LAST_COMPLETE_ANSWER = """
            const answers = document.querySelectorAll('[role=log] article[data-role=assistant]');
            const last = answers[answers.length - 1];
            if (!last || last.dataset.status !== 'complete') return null;
            return last.querySelector('.message-body').innerText;
            """;

    private final Browser browser;
    private final String origin;
    private final BrowserSignInNetwork network;

    private BrowserSignInPage(Browser browser, String origin) {
        this.browser = browser;
        this.origin = origin;
        this.network = new BrowserSignInNetwork(browser, origin);
    }

    /** The UI at {@code origin} in {@code browser}, which also accepts the local issuer's self-signed certificate. */
    static BrowserSignInPage withLocalIssuer(Browser browser, String origin) {
        ((HasCdp) browser.driver()).executeCdpCommand("Security.setIgnoreCertificateErrors", Map.of("ignore", true));
        return in(browser, origin);
    }

    /** The UI at {@code origin} in {@code browser}. */
    static BrowserSignInPage in(Browser browser, String origin) {
        ((HasCdp) browser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", BrowserSignInNetwork.RECORDER));
        return new BrowserSignInPage(browser, origin);
    }

    void visit(String path) {
        browser.driver().get(origin + path);
    }

    BrowserSignInNetwork network() {
        return network;
    }

    String text() {
        return browser.driver().findElement(By.tagName("body")).getText();
    }

    /** Waits for the button named {@code name} to be clickable, and clicks it. */
    void click(String name) {
        browser.waitFor("to click the button " + name,
                ExpectedConditions.elementToBeClickable(BrowserNames.button(name))).click();
    }

    /** Waits for the button named {@code name} to be shown. */
    void awaitButton(String name) {
        browser.waitFor("to see the button " + name, ExpectedConditions.visibilityOfElementLocated(BrowserNames.button(name)));
    }

    /** Waits for the form control named {@code name}, and types {@code text} into it. */
    void fill(String name, String text) {
        WebElement control = browser.waitFor("to see the control " + name,
                ExpectedConditions.visibilityOfElementLocated(BrowserNames.control(name)));
        control.clear();
        control.sendKeys(text);
    }

    WebElement messageBox() {
        return browser.waitFor("to see the Message box",
                ExpectedConditions.visibilityOfElementLocated(BrowserNames.control("Message")));
    }

    void awaitSignedInAs(String name) {
        awaitButton("Sign out");
        awaitUntil("the name " + name + " shown", () -> text().contains(name));
    }

    void type(String message) {
        fill("Message", message);
    }

    void send(String message) {
        type(message);
        click("Send");
    }

    /** Waits for the last answer to be complete, and answers its rendered text (read in one moment of the page). */
    String awaitLastAnswerComplete() {
        return browser.waitFor("a complete answer", driver -> {
            Object text = browser.script(LAST_COMPLETE_ANSWER);
            return text instanceof String answer ? answer : null;
        });
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
}
