package dev.agentchat.bootstrap;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WrapsDriver;

/**
 * Finds elements as assistive technology names them: by {@code aria-labelledby}, {@code aria-label}, the
 * text of a form control's {@code <label>}, or a button's or link's own text (whitespace collapsed), so that
 * the tests use the names a person hears rather than the page's classes and ids.
 */
final class BrowserNames {
    /** The accessible name, as far as the tests need it; runs in the page. */
    private static final String NAME_OF = """
            const collapse = text => (text || '').replace(/\\s+/g, ' ').trim();
            const textWithoutControls = element => {
              const copy = element.cloneNode(true);
              copy.querySelectorAll('input, select, textarea').forEach(control => control.remove());
              return collapse(copy.textContent);
            };
            const nameOf = element => {
              const labelledBy = element.getAttribute('aria-labelledby');
              if (labelledBy) {
                return collapse(labelledBy.split(/\\s+/).map(id => document.getElementById(id))
                    .filter(Boolean).map(label => label.textContent).join(' '));
              }
              const label = element.getAttribute('aria-label');
              if (label !== null && label.trim() !== '') {
                return collapse(label);
              }
              if (element.labels && element.labels.length > 0) {
                return collapse(Array.from(element.labels).map(textWithoutControls).join(' '));
              }
              if (['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName)) {
                return collapse(element.getAttribute('title') || element.getAttribute('placeholder'));
              }
              return collapse(element.textContent) || collapse(element.getAttribute('title'));
            };
            """;
    private static final String FIND = NAME_OF + """
            const [root, selector, name] = arguments;
            return Array.from((root || document).querySelectorAll(selector)).filter(element => nameOf(element) === name);
            """;
    private static final String NAME = NAME_OF + "return nameOf(arguments[0]);";

    private BrowserNames() {
    }

    /** A button (or an element with role button) named {@code name}. */
    static By button(String name) {
        return named("button, [role=button], input[type=button], input[type=submit]", name);
    }

    /** A link named {@code name}. */
    static By link(String name) {
        return named("a[href], [role=link]", name);
    }

    /** A form control (text box, select, check box) named {@code name}. */
    static By control(String name) {
        return named("input, select, textarea, [role=textbox], [role=combobox], [role=checkbox]", name);
    }

    /** A landmark, region or dialog named {@code name}. */
    static By region(String name) {
        return named("nav, section, aside, main, form, [role=region], [role=navigation], [role=dialog], dialog", name);
    }

    /** Any element matching {@code selector} whose accessible name is exactly {@code name}. */
    static By named(String selector, String name) {
        return new By() {
            @Override
            public List<WebElement> findElements(SearchContext context) {
                WebElement root = context instanceof WebElement element ? element : null;
                @SuppressWarnings("unchecked")
                List<WebElement> found = (List<WebElement>) executor(context).executeScript(FIND, root, selector, name);
                return found;
            }

            @Override
            public String toString() {
                return "element (" + selector + ") named '" + name + "'";
            }
        };
    }

    /** The accessible name of {@code element}, worked out as {@link #named} does. */
    static String nameOf(WebDriver driver, WebElement element) {
        return (String) ((JavascriptExecutor) driver).executeScript(NAME, element);
    }

    private static JavascriptExecutor executor(SearchContext context) {
        if (context instanceof JavascriptExecutor executor) {
            return executor;
        }
        if (context instanceof WrapsDriver wrapper && wrapper.getWrappedDriver() instanceof JavascriptExecutor executor) {
            return executor;
        }
        throw new IllegalArgumentException("cannot run scripts in " + context);
    }
}
