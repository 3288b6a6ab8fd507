package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.BrowserNames.button;
import static dev.agentchat.bootstrap.BrowserNames.control;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The chat UI as a person uses it, in one browser: the agent picker, the thread sidebar, the conversation and
 * its tool calls, found by the accessible names and data attributes the UI promises (never by its classes,
 * except {@code message-body}, the promised home of an answer's rendered Markdown).
 */
final class BrowserChatPage {
    /** Every message of the conversation as shown: one script call, so that a reading is one moment of the page. */
    private static final String MESSAGES = """
            const log = document.querySelector('[role=log]');
            if (!log) return [];
            return Array.from(log.querySelectorAll('article')).map(article => {
              const body = article.querySelector('.message-body');
              return {role: article.dataset.role || '', status: article.dataset.status || '',
                      id: article.dataset.messageId || '', text: (body || article).innerText};
            });
            """;
    private static final String TOOL_CALLS = """
            const region = Array.from(document.querySelectorAll('section, [role=region]'))
                .find(element => element.getAttribute('aria-label') === 'Tool calls');
            if (!region) return [];
            return Array.from(region.querySelectorAll('li[data-step-id]')).map(item => (
                {step: item.dataset.stepId, status: item.dataset.status || '', text: item.innerText}));
            """;

    private static final String THREAD_TITLES = """
            return Array.from(arguments[0].querySelectorAll('a[href]')).map(link => {
              const copy = link.cloneNode(true);
              copy.querySelectorAll('time').forEach(time => time.remove());
              return copy.textContent;
            });
            """;

    /** One message of the conversation as the page shows it; {@code text} is its body's rendered text. */
    record Shown(String role, String status, String id, String text) {
        boolean isAssistant() {
            return role.equals("assistant");
        }

        boolean isStreaming() {
            return status.equals("streaming");
        }

        /** The text with its white space collapsed: what a reader reads, without the layout's line breaks. */
        String words() {
            return words(text);
        }

        static String words(String text) {
            return text.replaceAll("\\s+", " ").strip();
        }
    }

    /** One tool call in the {@code Tool calls} region. */
    record ToolCall(String step, String status, String text) {
    }

    final Browser browser;
    private final String origin;

    BrowserChatPage(Browser browser, ServiceUnderTest service) {
        this(browser, service.port());
    }

    BrowserChatPage(Browser browser, ServiceAsDeployed service) {
        this(browser, service.application().port());
    }

    private BrowserChatPage(Browser browser, int port) {
        this.browser = browser;
        this.origin = "http://127.0.0.1:" + port;
    }

    WebDriver driver() {
        return browser.driver();
    }

    /** Opens a page of the UI, {@code path} being its path on the service ("/", "/agents/x"). */
    BrowserChatPage open(String path) {
        driver().get(origin + path);
        return this;
    }

    /** The path the browser shows now. */
    String path() {
        return URI.create(driver().getCurrentUrl()).getPath();
    }

    /** Waits until the browser is at {@code path}. */
    void waitForPath(String path) {
        browser.waitFor("the address to become " + path, driver -> path().equals(path));
    }

    /** The thread open now, read from the address (/agents/{agent}/threads/{thread}). */
    Optional<String> threadId() {
        String[] parts = path().split("/");
        return parts.length == 5 && parts[3].equals("threads") ? Optional.of(parts[4]) : Optional.empty();
    }

    String waitForThreadId() {
        return browser.waitFor("the address to name the thread (/agents/{agent}/threads/{thread})",
                driver -> threadId().orElse(null));
    }

    /** Waits for the element {@code by} finds to be shown. */
    WebElement find(By by) {
        return browser.waitFor("to see " + by, ExpectedConditions.visibilityOfElementLocated(by));
    }

    boolean isShown(By by) {
        return driver().findElements(by).stream().anyMatch(WebElement::isDisplayed);
    }

    void click(By by) {
        browser.waitFor("to click " + by, ExpectedConditions.elementToBeClickable(by)).click();
    }

    // --- Agents ---------------------------------------------------------------------------------------------

    Select agentPicker() {
        return new Select(find(control("Agent")));
    }

    /** The text of the agent chosen in the picker. */
    String chosenAgent() {
        return agentPicker().getFirstSelectedOption().getText().strip();
    }

    /** Chooses the agent whose option starts with {@code name}, as a person does. */
    void chooseAgent(String name) {
        Select picker = agentPicker();
        WebElement option = picker.getOptions().stream().filter(candidate -> candidate.getText().strip().startsWith(name))
                .findFirst().orElseThrow(() -> new AssertionError("no agent named " + name + " in the picker: "
                        + picker.getOptions().stream().map(WebElement::getText).toList()));
        picker.selectByVisibleText(option.getText());
    }

    // --- The conversation -------------------------------------------------------------------------------------

    WebElement messageBox() {
        return find(control("Message"));
    }

    /** Types {@code text} into the message box, keeping line breaks as Shift+Enter (Enter alone sends). */
    void type(String text) {
        WebElement box = messageBox();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                box.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
            }
            box.sendKeys(lines[i]);
        }
    }

    /** Types {@code text} and presses {@code Send}. */
    void send(String text) {
        type(text);
        click(button("Send"));
    }

    @SuppressWarnings("unchecked")
    List<Shown> messages() {
        List<Map<String, String>> shown = (List<Map<String, String>>) browser.script(MESSAGES);
        return shown.stream().map(m -> new Shown(m.get("role"), m.get("status"), m.get("id"), m.get("text"))).toList();
    }

    /** The last assistant message shown, if any. */
    Optional<Shown> lastAnswer() {
        return messages().stream().filter(Shown::isAssistant).reduce((first, second) -> second);
    }

    /** Waits until the last answer shown satisfies {@code condition}, and returns it. */
    Shown waitForAnswer(String what, Predicate<Shown> condition) {
        return browser.waitFor("the last answer to be " + what + " (it is " + lastAnswer().orElse(null) + ")",
                driver -> lastAnswer().filter(condition).orElse(null));
    }

    /** Waits for the last answer to be finished (not streaming), and returns it. */
    Shown waitForFinishedAnswer() {
        return waitForAnswer("finished", answer -> !answer.isStreaming() && !answer.status().isEmpty());
    }

    /** The texts of the {@code role=alert} elements shown. */
    List<String> alerts() {
        return driver().findElements(By.cssSelector("[role=alert]")).stream().filter(WebElement::isDisplayed)
                .map(WebElement::getText).map(Shown::words).filter(text -> !text.isEmpty()).toList();
    }

    String waitForAlert() {
        return browser.waitFor("an alert (role=alert) to be shown", driver -> alerts().stream().findFirst().orElse(null));
    }

    // --- Tool calls -------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    List<ToolCall> toolCalls() {
        List<Map<String, String>> shown = (List<Map<String, String>>) browser.script(TOOL_CALLS);
        return shown.stream().map(c -> new ToolCall(c.get("step"), c.get("status"), c.get("text"))).toList();
    }

    /** Waits for the only tool call shown to have {@code status} (its {@code data-status}), and returns it. */
    ToolCall waitForOnlyToolCall(String status) {
        return browser.waitFor("the only tool call to be " + status + " (the calls are " + toolCalls() + ")", driver -> {
            List<ToolCall> calls = toolCalls();
            return calls.size() == 1 && calls.getFirst().status().equals(status) ? calls.getFirst() : null;
        });
    }

    /** The group of {@code Approve} and {@code Deny} of a tool call that waits for approval, named for its tool. */
    WebElement approvalOf(String tool) {
        return find(BrowserNames.named("[role=group]", "Approval of " + tool));
    }

    /** Presses {@code Approve} or {@code Deny} ({@code choice}) in the approval group of {@code tool}. */
    void decide(String tool, String choice) {
        WebElement group = approvalOf(tool);
        browser.waitFor("to press " + choice + " for " + tool,
                ExpectedConditions.elementToBeClickable(group.findElement(button(choice)))).click();
    }

    /** The text of the whole {@code Tool calls} region (its calls and the run's model calls). */
    String toolCallsRegion() {
        return find(BrowserNames.named("section, [role=region]", "Tool calls")).getText();
    }

    // --- Threads ----------------------------------------------------------------------------------------------

    WebElement threads() {
        return find(BrowserNames.named("nav", "Threads"));
    }

    /** The titles of the threads listed in the sidebar, top first: each link's text but for the {@code <time>} it may show. */
    @SuppressWarnings("unchecked")
    List<String> threadTitles() {
        return ((List<String>) browser.script(THREAD_TITLES, threads())).stream().map(Shown::words).toList();
    }

    /** Waits until the sidebar lists exactly {@code titles}, in this order. */
    void waitForThreadTitles(List<String> titles) {
        browser.waitFor("the threads listed to be " + titles + " (they are " + threadTitles() + ")",
                driver -> threadTitles().equals(titles));
    }

    void openThread(String title) {
        int index = threadTitles().indexOf(title);
        if (index < 0) {
            throw new AssertionError("no thread " + title + " in " + threadTitles());
        }
        threads().findElements(By.cssSelector("a[href]")).get(index).click();
    }
}
