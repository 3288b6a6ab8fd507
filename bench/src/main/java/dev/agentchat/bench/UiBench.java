package dev.agentchat.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser UI's budget, measured on the built service in the system's Chromium:
 * <ul>
 *   <li>{@code size}: the JavaScript and CSS a first load of {@code /} fetches (what its page names: scripts,
 *       stylesheets and module preloads), gzipped, against 250 KB; and the chunks loaded only later, apart.</li>
 *   <li>{@code stream}: a 5,000-token Markdown answer streamed at 200 tokens a second into the page, with a
 *       {@code longtask} PerformanceObserver installed before the page's own scripts: every main-thread task of
 *       50 ms or more is one entry, so the target is none.</li>
 * </ul>
 * Usage: {@code UiBench size|stream [tokens] [tokens per second]}.
 */
public final class UiBench {
    private static final long BUDGET_BYTES = 250 * 1024;

    private UiBench() {
    }

    public static void main(String[] args) throws Exception {
        String what = BenchedService.arg(args, 0, "size");
        int tokens = Integer.parseInt(BenchedService.arg(args, 1, "5000"));
        int perSecond = Integer.parseInt(BenchedService.arg(args, 2, "200"));
        BenchedService benched = BenchedService.fromProperties();
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(tokens, 1000 / perSecond, false, MarkdownAnswer.tokens()));
            Map<String, String> env = new HashMap<>();
            env.put("OPENAI_BASE_URL", model.baseUrl());
            env.put("OPENAI_API_KEY", "bench-key");
            env.put("OPENAI_MODEL", "bench");
            try (ServiceProcess service = benched.start(env, "ui-bench-service.log")) {
                String base = "http://127.0.0.1:" + service.port();
                switch (what) {
                    case "size" -> size(base);
                    case "stream" -> stream(base, tokens, perSecond);
                    default -> throw new IllegalArgumentException("size or stream, not " + what);
                }
            }
        }
    }

    private static void size(String base) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String index = get(http, base + "/").toString(java.nio.charset.StandardCharsets.UTF_8);
        Set<String> firstLoad = new LinkedHashSet<>();
        Matcher named = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+\\.(?:js|css))\"").matcher(index);
        while (named.find()) {
            firstLoad.add(named.group(1));
        }
        long raw = 0;
        long gzipped = 0;
        System.out.println("\n### UI first load: JavaScript and CSS of `/` (gzipped, budget 250 KB)\n");
        System.out.println("| file | bytes | gzipped |\n| --- | ---: | ---: |");
        for (String asset : firstLoad) {
            byte[] body = get(http, base + asset).toByteArray();
            long zipped = gzipped(body);
            raw += body.length;
            gzipped += zipped;
            System.out.printf(Locale.ROOT, "| `%s` | %,d | %,d |%n", asset, body.length, zipped);
        }
        System.out.printf(Locale.ROOT, "| **first load** | %,d | **%,d** (%.1f KB, %s) |%n", raw, gzipped,
                gzipped / 1024.0, gzipped <= BUDGET_BYTES ? "within budget" : "OVER BUDGET");
        Path assets = Path.of(System.getProperty("bench.webDist", "web/dist/assets"));
        if (Files.isDirectory(assets)) {
            List<Path> later = new ArrayList<>();
            try (var files = Files.list(assets)) {
                files.filter(f -> !firstLoad.contains("/assets/" + f.getFileName()))
                        .filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".css"))
                        .sorted(Comparator.comparing(Path::toString)).forEach(later::add);
            }
            long laterRaw = raw;
            long laterGzipped = gzipped;
            for (Path file : later) {
                byte[] body = Files.readAllBytes(file);
                long zipped = gzipped(body);
                laterRaw += body.length;
                laterGzipped += zipped;
                System.out.printf(Locale.ROOT, "| `/assets/%s` (loaded only when needed) | %,d | %,d |%n",
                        file.getFileName(), body.length, zipped);
            }
            // The sign-in library is such a chunk: with sign-in on, a first load fetches it too.
            System.out.printf(Locale.ROOT, "| **first load with every later chunk** (sign-in on) | %,d | **%,d** (%.1f KB, %s) |%n",
                    laterRaw, laterGzipped, laterGzipped / 1024.0, laterGzipped <= BUDGET_BYTES ? "within budget" : "OVER BUDGET");
        }
    }

    private static void stream(String base, int tokens, int perSecond) {
        ChromeDriver browser = chromium();
        try {
            // Installed before any of the page's scripts run, so that no task of the page escapes it.
            browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "window.__longTasks = []; new PerformanceObserver(list => { for (const e of list.getEntries())"
                            + " window.__longTasks.push({start: e.startTime, duration: e.duration}); })"
                            + ".observe({type: 'longtask', buffered: true});"
                            // Long animation frames say what a long task was made of: the page's scripts, or
                            // style and layout, or neither (the browser waiting for a CPU the machine had not).
                            + "window.__longFrames = []; new PerformanceObserver(list => { for (const e of list.getEntries())"
                            + " window.__longFrames.push({start: e.startTime - (window.__sentAt || 0), duration: e.duration, scripts: e.scripts.reduce((t, s) => t + s.duration, 0),"
                            + " layout: e.startTime + e.duration - (e.styleAndLayoutStart || e.startTime + e.duration),"
                            + " what: e.scripts.filter(s => s.duration >= 10).map(s => s.invoker + ' ' + (s.sourceFunctionName || '')"
                            + " + ' ' + Math.round(s.duration) + ' ms').join('; ')}); })"
                            + ".observe({type: 'long-animation-frame', buffered: true});"));
            browser.get(base + "/agents/support-triage");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            WebElement message = wait.until(d -> d.findElement(By.cssSelector("textarea[aria-label='Message'], #message")));
            // A person reads the page before typing: the page's own start-up (grammars compiled while it is idle) is
            // not what is measured here, and is over by then.
            ((JavascriptExecutor) browser).executeAsyncScript("setTimeout(arguments[arguments.length - 1], arguments[0])",
                    Integer.getInteger("bench.readingMs", 3000));
            ((JavascriptExecutor) browser).executeScript("window.__longTasks.length = 0; window.__longFrames.length = 0;"
                    + " window.__sentAt = performance.now()");
            long started = System.nanoTime();
            message.sendKeys("Write me a long answer");
            browser.findElement(By.xpath("//button[normalize-space()='Send' or @aria-label='Send']")).click();
            new WebDriverWait(browser, Duration.ofSeconds(tokens / perSecond + 60)).until(d -> !d.findElements(
                    By.cssSelector("article[data-role='assistant'][data-status='complete']")).isEmpty());
            double seconds = (System.nanoTime() - started) / 1e9;
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> longTasks = (List<Map<String, Object>>) ((JavascriptExecutor) browser)
                    .executeScript("return window.__longTasks");
            String shown = browser.findElement(By.cssSelector("article[data-role='assistant'][data-status='complete']"))
                    .getText();
            double longest = longTasks.stream().mapToDouble(t -> ((Number) t.get("duration")).doubleValue()).max().orElse(0);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> longFrames = (List<Map<String, Object>>) ((JavascriptExecutor) browser)
                    .executeScript("return window.__longFrames");
            double scriptMs = longFrames.stream().mapToDouble(f -> ((Number) f.get("scripts")).doubleValue()).max().orElse(0);
            double layoutMs = longFrames.stream().mapToDouble(f -> ((Number) f.get("layout")).doubleValue()).max().orElse(0);
            System.out.printf(Locale.ROOT, "%n### UI streaming: %,d Markdown tokens at %d a second in Chromium%n%n",
                    tokens, perSecond);
            System.out.println("| answer shown after | characters shown | main-thread tasks of 50 ms or more | longest |"
                    + " frames over 50 ms | most script in one | most style and layout in one |");
            System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            System.out.printf(Locale.ROOT, "| %.1f s | %,d | %d | %s | %d | %.0f ms | %.0f ms |%n", seconds, shown.length(),
                    longTasks.size(), longTasks.isEmpty() ? "none over 50 ms" : String.format(Locale.ROOT, "%.0f ms", longest),
                    longFrames.size(), scriptMs, layoutMs);
            System.out.printf(Locale.ROOT, "(load average while it ran: %s)%n", loadAverage());
            longFrames.stream().filter(f -> !String.valueOf(f.get("what")).isEmpty()).forEach(f -> System.out.printf(
                    Locale.ROOT, "- a %.0f ms frame %.1f s after sending: %s%n", ((Number) f.get("duration")).doubleValue(),
                    ((Number) f.get("start")).doubleValue() / 1000, f.get("what")));
        } finally {
            browser.quit();
        }
    }

    /** The system's Chromium, headless, with the flags a closed network needs (no background connections). */
    private static ChromeDriver chromium() {
        Path profile;
        try {
            profile = Files.createTempDirectory("agentchat-ui-bench");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String binary = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        if (!Files.isExecutable(Path.of(binary)) || !Files.isExecutable(Path.of(driver))) {
            throw new IllegalStateException("The UI benchmark needs Chromium and its driver (" + binary + ", " + driver
                    + "): apt-get install chromium chromium-driver.");
        }
        ChromeOptions options = new ChromeOptions().setBinary(binary).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(driver).toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static ByteArrayOutputStream get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(response.body());
        return body;
    }

    private static long gzipped(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        }
        return out.size();
    }

    /** A long answer as a model writes one: paragraphs, lists, a table and code, cut into word-sized tokens. */
    static final class MarkdownAnswer {
        private static final String TEXT = """
                ## Diagnosing a VM that cannot reach the internet

                First, check whether the **network security group** on the subnet or the NIC blocks outbound traffic. \
                Rules are evaluated by priority, and a deny rule with a lower number wins over a later allow rule.

                1. Open the VM's *Networking* blade and read the effective security rules.
                2. Look for a rule that denies `Internet` as a destination.
                3. Check the route table: a `0.0.0.0/0` route to a virtual appliance sends everything through a firewall.

                | Check | Where | What to look for |
                | --- | --- | --- |
                | NSG | Networking blade | outbound deny rules |
                | Routes | Effective routes | next hop of 0.0.0.0/0 |
                | DNS | VNet settings | custom servers that do not answer |

                ```bash
                az network nic show-effective-route-table --resource-group rg-app --name vm-app-nic --output table
                az network watcher test-connectivity --source-resource vm-app --dest-address www.bing.com --dest-port 443
                ```

                If the firewall was changed recently, compare its application rules with the last known good \
                configuration, and remember that *SNAT port exhaustion* looks the same from inside the VM.

                """;

        static List<String> tokens() {
            List<String> tokens = new ArrayList<>();
            Matcher word = Pattern.compile("[^ \\n]+ ?|\\n").matcher(TEXT);
            while (word.find()) {
                tokens.add(word.group());
            }
            return tokens;
        }
    }
}
