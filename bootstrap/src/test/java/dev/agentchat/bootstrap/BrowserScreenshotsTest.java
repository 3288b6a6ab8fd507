package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.BrowserNames.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.model.DemoChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The chat with a tool call at a desktop's and a phone's width: usable at both (nothing wider than the screen,
 * the message box and Send within reach), and a screenshot of each saved to {@code target/screenshots/} for
 * the documentation.
 */
class BrowserScreenshotsTest {
    private static final String AGENT = "support-triage";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @Test
    void a_conversation_with_a_tool_call_fits_a_desktop_and_is_saved_as_a_screenshot() throws IOException {
        Path saved = chatAndShoot(browsers.desktop(), "chat-desktop.png");

        assertThat(Files.size(saved)).isPositive();
    }

    @Test
    void a_conversation_with_a_tool_call_fits_a_phone_and_is_saved_as_a_screenshot() throws IOException {
        Path saved = chatAndShoot(browsers.phone(), "chat-phone.png");

        assertThat(Files.size(saved)).isPositive();
    }

    private Path chatAndShoot(Browser browser, String file) {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest(wiring -> wiring.model(new DemoChatModel(Duration.ZERO))));
        BrowserApi.openThread(service, AGENT, "Printer on floor 3 keeps jamming");
        BrowserApi.openThread(service, AGENT, "Our VM cannot reach the internet");
        BrowserChatPage page = new BrowserChatPage(browser, service).open("/agents/" + AGENT);

        page.send("What time is it in UTC?");

        page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        browser.waitFor("the tool call completed", driver -> page.toolCalls().stream().anyMatch(call -> call.status().equals("completed")));
        browser.waitFor("the run's model calls", driver -> page.toolCallsRegion().contains("offline-demo"));
        page.waitForThreadTitles(List.of("What time is it in UTC?", "Our VM cannot reach the internet", "Printer on floor 3 keeps jamming"));
        assertThat(browser.script("return [document.documentElement.scrollWidth, window.innerWidth]"))
                .as("nothing wider than the screen (page width, screen width)")
                .satisfies(widths -> assertThat((List<?>) widths).element(0).isEqualTo(((List<?>) widths).get(1)));
        for (WebElement reachable : List.of(page.messageBox(), page.find(button("Send")))) {
            assertThat(reachable.getRect().getX() + reachable.getRect().getWidth()).as(reachable.getTagName() + " within the screen")
                    .isLessThanOrEqualTo(browser.screen.width);
        }
        browser.script("document.activeElement && document.activeElement.blur()");
        if (browser.screen == Browser.Screen.PHONE) {
            // A phone shows one column: from the answer down, so that the tool call below it is in the picture.
            browser.script("const answers = document.querySelectorAll('[role=log] article[data-role=assistant]');"
                    + "answers[answers.length - 1].scrollIntoView({block: 'start'}); window.scrollTo(0, 0)");
        }
        return browser.screenshot(SCREENSHOTS.resolve(file));
    }
}
