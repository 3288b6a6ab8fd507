package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.agentchat.adapter.memory.model.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * An answer is the model's text, and a model can be made to say anything: HTML in it is shown inert. Nothing in
 * it runs (no handler, no script, no {@code javascript:} link) and nothing loads (a local beacon server that
 * every hostile address points at hears nothing).
 */
class BrowserHostileAnswerTest {
    private static final String AGENT = "support-triage";
    /**
     * Every element and attribute of the answer's DOM that could run script, or load or navigate by itself. Images,
     * forms and any {@code src} count too: the page's policy would stop their loads, but the answer must not
     * depend on that, so the sanitiser itself is held to it.
     */
    private static final String DANGEROUS_DOM = """
            const body = arguments[0];
            const found = [];
            body.querySelectorAll('script, iframe, frame, object, embed, base, meta, link, img, picture, source, video, audio, svg, form, style')
                .forEach(element => found.push('<' + element.tagName.toLowerCase() + '>'));
            body.querySelectorAll('*').forEach(element => {
              for (const attribute of element.attributes) {
                const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
                if (attribute.name.toLowerCase().startsWith('on')) found.push(attribute.name + '=' + attribute.value);
                if (['src', 'srcset', 'style', 'background', 'poster'].includes(attribute.name.toLowerCase()))
                  found.push(attribute.name + '=' + attribute.value);
                if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attribute.name.toLowerCase())
                    && (value.startsWith('javascript:') || value.startsWith('vbscript:')))
                  found.push(attribute.name + '=' + attribute.value);
              }
            });
            return found;
            """;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    private HttpServer beacon;
    private final List<String> beaconHeard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBeacon() throws IOException {
        beacon = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        beacon.createContext("/", exchange -> {
            beaconHeard.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        beacon.start();
    }

    @AfterEach
    void stopBeacon() {
        beacon.stop(0);
    }

    @Test
    void html_in_an_answer_runs_no_script_and_loads_nothing() {
        ServiceUnderTest service = browsers.serving(new ServiceUnderTest());
        String beaconAt = "http://127.0.0.1:" + beacon.getAddress().getPort();
        service.model.reply(Reply.text(
                "Here you go <img src=x onerror=\"window.__pwned=1\"> and ",
                "<script>window.__pwned=2</script>\n\n",
                "[click](javascript:window.__pwned=3) and <a href=\"javascript:window.__pwned=4\">this too</a>\n\n",
                "![x](" + beaconAt + "/img.png) <img src=\"" + beaconAt + "/raw.png\">\n\n",
                "<iframe src=\"" + beaconAt + "/frame\"></iframe> <svg onload=\"window.__pwned=5\"><circle r=\"4\"/></svg>\n\n",
                "<b onmouseover=\"window.__pwned=6\">hover</b> ",
                "<form action=\"" + beaconAt + "/form\"><button>go</button></form> the end."));
        BrowserChatPage page = new BrowserChatPage(browsers.desktop(), service).open("/agents/" + AGENT);

        page.send("Say something nasty");

        page.waitForAnswer("complete", answer -> answer.status().equals("complete"));
        WebElement body = lastAnswerBody(page);
        // Whatever images the page kept have been tried (loaded, failed or refused) before the beacon is asked.
        page.browser.waitFor("every image of the page to be settled",
                driver -> (Boolean) page.browser.script("return Array.from(document.images).every(image => image.complete)"));
        assertThat(page.browser.script("return typeof window.__pwned")).isEqualTo("undefined");
        assertThat(page.browser.script(DANGEROUS_DOM, body)).asList().isEmpty();
        assertThat(body.getText()).contains("Here you go", "the end.");

        String before = page.driver().getCurrentUrl();
        // The links the answer meant to run script with: shown as links or as text, clicking them runs nothing.
        for (WebElement link : body.findElements(By.cssSelector("a"))) {
            if (link.isDisplayed() && List.of("click", "this too").contains(link.getText().strip())) {
                link.click();
            }
        }
        for (WebElement hover : body.findElements(By.xpath(".//*[normalize-space(text())='hover']"))) {
            new Actions(page.driver()).moveToElement(hover).perform();
        }
        assertThat(page.browser.script("return typeof window.__pwned")).as("clicking the links ran nothing").isEqualTo("undefined");
        assertThat(page.driver().getWindowHandles()).as("no link opened a window").hasSize(1);
        assertThat(page.driver().getCurrentUrl()).isEqualTo(before);
        assertThat(beaconHeard).as("requests the answer made").isEmpty();
    }

    private static WebElement lastAnswerBody(BrowserChatPage page) {
        List<WebElement> bodies = page.driver().findElements(By.cssSelector("[role=log] article[data-role=assistant] .message-body"));
        assertThat(bodies).as("an answer's .message-body").isNotEmpty();
        return bodies.getLast();
    }
}
