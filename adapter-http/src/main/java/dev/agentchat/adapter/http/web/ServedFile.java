package dev.agentchat.adapter.http.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * One file of the web UI, held in memory as it is sent: its bytes, and gzipped once when that makes text smaller,
 * each with a strong entity-tag from its content, so that a browser that has it already gets 304.
 *
 * @param contentType  its media type, from its name
 * @param cacheControl how long a browser may use it without asking
 */
record ServedFile(byte[] bytes, Optional<byte[]> gzipped, String contentType, String cacheControl, String entityTag) {
    /** Not worth compressing: a gzip header and trailer take 18 bytes, and a small answer fits one packet anyway. */
    private static final int COMPRESS_FROM_BYTES = 1024;
    private static final Pattern TAG = Pattern.compile("(?:W/)?\"([^\"]*)\"");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=UTF-8"),
            Map.entry("js", "text/javascript; charset=UTF-8"),
            Map.entry("mjs", "text/javascript; charset=UTF-8"),
            Map.entry("css", "text/css; charset=UTF-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("woff", "font/woff"),
            Map.entry("txt", "text/plain; charset=UTF-8"));
    /** Types that compress: text of any kind. Images and fonts here are compressed already. */
    private static final List<String> COMPRESSIBLE = List.of("text/", "application/json", "image/svg+xml");

    ServedFile {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(gzipped, "gzipped");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(cacheControl, "cacheControl");
        Objects.requireNonNull(entityTag, "entityTag");
    }

    /** The file called {@code name} with these bytes. */
    static ServedFile of(String name, byte[] bytes, String cacheControl) {
        String type = contentTypeOf(name);
        Optional<byte[]> gzipped = COMPRESSIBLE.stream().anyMatch(type::startsWith) && bytes.length >= COMPRESS_FROM_BYTES
                ? Optional.of(gzip(bytes)).filter(packed -> packed.length < bytes.length) : Optional.empty();
        return new ServedFile(bytes, gzipped, type, cacheControl, digest(bytes));
    }

    /** A name's media type; one this does not know is sent as bytes, which {@code nosniff} keeps a browser from running. */
    static String contentTypeOf(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    /** Answers a GET (or HEAD) of this file: 304 when the browser's copy is this one, else the file, gzipped if it may be. */
    void send(ServerRequest req, ServerResponse res) {
        boolean gzip = gzipped.isPresent() && acceptsGzip(req.headers().all(HeaderNames.ACCEPT_ENCODING, List::of));
        // Each encoding is its own representation, with its own tag (RFC 9110 section 8.8.3).
        String tag = "\"" + entityTag + (gzip ? "-gz" : "") + "\"";
        res.header(HeaderNames.ETAG, tag);
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
        if (gzipped.isPresent()) {
            res.header(HeaderNames.VARY, "Accept-Encoding");
        }
        if (matches(req.headers().all(HeaderNames.IF_NONE_MATCH, List::of), tag)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
        }
        res.send(gzip ? gzipped.get() : bytes);
    }

    /**
     * Whether {@code If-None-Match} names this representation: {@code *}, or one of its entity-tags compared weakly,
     * as RFC 9110 section 13.1.2 says for this header. Its syntax was checked before any route ran.
     */
    static boolean matches(List<String> ifNoneMatch, String tag) {
        String opaque = tag.substring(1, tag.length() - 1);
        for (String value : ifNoneMatch) {
            if (value.strip().equals("*")) {
                return true;
            }
            Matcher each = TAG.matcher(value);
            while (each.find()) {
                if (each.group(1).equals(opaque)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code Accept-Encoding} allows gzip: named (or {@code *} when it is not) with a weight above 0. */
    static boolean acceptsGzip(List<String> acceptEncoding) {
        Optional<Boolean> named = Optional.empty();
        boolean anyAccepted = false;
        for (String value : acceptEncoding) {
            for (String member : value.split(",")) {
                String[] parts = member.split(";");
                String coding = parts[0].strip().toLowerCase(Locale.ROOT);
                boolean accepted = weight(parts) > 0;
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    named = Optional.of(accepted || named.orElse(false));
                } else if (coding.equals("*")) {
                    anyAccepted = accepted;
                }
            }
        }
        return named.orElse(anyAccepted);
    }

    private static double weight(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].strip();
            if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    return Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;   // a weight that is no number accepts nothing rather than everything
                }
            }
        }
        return 1;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** 128 bits of the content's SHA-256: a strong tag that changes whenever a byte does. */
    private static String digest(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ServedFile[" + contentType + ", " + bytes.length + " bytes, " + entityTag + "]";
    }
}
