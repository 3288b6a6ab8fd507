package dev.agentchat.adapter.http.web;

import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.Problems;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI, served from a folder on the class path (the {@code agentchat-web} jar holds Vite's build there):
 * its one page at every address the UI routes to on the client ({@code /}, an agent's page, a thread's), its
 * assets under {@code /assets/}, and its icon.
 * <p>
 * Written here rather than with Helidon's static content feature: the page is one file answered at several path
 * patterns, each kind of file needs its own cache rule (the page must be asked for again on every visit, so that a
 * new release is picked up; the assets' names carry their content's hash, so they may be kept for a year), and
 * file names are held to what the build writes (one folder, no dot segments, no encoded slashes), which is simpler
 * to check here than to trust a general file server with.
 */
public final class WebUi {
    /** Where the {@code agentchat-web} jar puts the built UI. */
    public static final String DEFAULT_FOLDER = "agentchat-web";
    static final String PAGE_CACHE = "no-cache";
    static final String ASSET_CACHE = "public, max-age=31536000, immutable";
    /** What a build names its files: letters, digits, {@code _-.}, not starting with a dot (so never {@code ..}). */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}");
    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    private final String folder;
    private final ClassLoader loader;
    private final ServedFile page;
    private final Optional<ServedFile> icon;
    /** The assets found so far; what is not found is not kept, so unknown names cannot fill it. */
    private final Map<String, ServedFile> assets = new ConcurrentHashMap<>();

    private WebUi(String folder, ClassLoader loader, ServedFile page) {
        this.folder = folder;
        this.loader = loader;
        this.page = page;
        this.icon = read("favicon.svg", PAGE_CACHE);
    }

    /**
     * The UI in {@code folder} of {@code loader}'s class path; empty when the folder has no {@code index.html}
     * (a service embedded without the UI), and the UI's paths are then not found, as before it existed.
     */
    public static Optional<WebUi> in(String folder, ClassLoader loader) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(loader, "loader");
        if (!FOLDER.matcher(folder).matches()) {
            throw new IllegalArgumentException("'" + folder + "' is no class path folder (names separated by '/')");
        }
        return read(loader, folder + "/index.html", PAGE_CACHE).map(page -> new WebUi(folder, loader, page));
    }

    /** Whether a path is one the UI answers (its page's addresses, its assets, its icon), so gets the UI's policies. */
    public static boolean servesPath(String path) {
        return path.equals("/") || path.startsWith("/agents/") || path.startsWith("/assets/") || path.equals("/favicon.svg");
    }

    /** Adds the UI's routes: every address of its page, its assets and its icon. */
    public void routing(HttpRules rules) {
        for (String address : new String[] {"/", "/agents/{agentId}", "/agents/{agentId}/threads/{threadId}"}) {
            rules.get(address, page::send).any(address, (req, res) -> Problems.methodNotAllowed(res, "GET"));
        }
        rules.get("/assets/{file}", this::sendAsset)
                .any("/assets/{file}", (req, res) -> Problems.methodNotAllowed(res, "GET"));
        icon.ifPresent(file -> rules.get("/favicon.svg", file::send)
                .any("/favicon.svg", (req, res) -> Problems.methodNotAllowed(res, "GET")));
    }

    private void sendAsset(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("file");
        Optional<ServedFile> asset = FILE_NAME.matcher(name).matches()
                ? Optional.ofNullable(assets.get(name)).or(() -> read("assets/" + name, ASSET_CACHE)
                        .map(found -> assets.computeIfAbsent(name, n -> found)))
                : Optional.empty();
        if (asset.isEmpty()) {
            Problems.send(res, Problem.notFound("not_found", "There is no file " + req.path().path() + "."));
            return;
        }
        asset.get().send(req, res);
    }

    private Optional<ServedFile> read(String path, String cacheControl) {
        return read(loader, folder + "/" + path, cacheControl);
    }

    private static Optional<ServedFile> read(ClassLoader loader, String resource, String cacheControl) {
        URL url = loader.getResource(resource);
        try {
            if (url == null || isFolder(url)) {
                return Optional.empty();
            }
            try (InputStream in = url.openStream()) {
                return Optional.of(ServedFile.of(resource, in.readAllBytes(), cacheControl));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    /**
     * Whether a resource is a folder: a jar answers a folder's name without its slash with the folder's entry, and
     * a file URL of a folder reads as a listing of it, neither of which is a file to serve.
     */
    private static boolean isFolder(URL url) throws IOException {
        if (url.getPath().endsWith("/")) {
            return true;
        }
        return switch (url.getProtocol()) {
            case "file" -> {
                try {
                    yield !Files.isRegularFile(Path.of(url.toURI()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    yield true;
                }
            }
            case "jar" -> {
                URLConnection connection = url.openConnection();
                yield connection instanceof JarURLConnection jar && (jar.getJarEntry() == null || jar.getJarEntry().isDirectory());
            }
            default -> false;
        };
    }
}
