package dev.agentchat.adapter.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names the model calls MCP tools by. A model's tool name has 1 to 64 letters, digits, '_' or '-' (OpenAI's
 * function name rule), is unique among the tools it is offered, and should read as what it is; an MCP tool is known
 * as {@code SERVER/TOOL}, with a tool name that may hold any character and be of any length, and two servers may
 * each have a tool of the same name. So:
 * <ol>
 *   <li>the name is {@code SERVER__TOOL}, each character outside [A-Za-z0-9_-] replaced by '_';</li>
 *   <li>when that is longer than 64, or two tools come to the same name by step 1, each such name is cut to 55
 *       characters and ends in '_' and the first 8 hex digits of the SHA-256 of {@code SERVER/TOOL}.</li>
 * </ol>
 * A name depends only on the tools listed, never on the order they were listed in, so it stays the same across
 * restarts; two names that are cut are the same only if their SHA-256s share 32 bits.
 */
final class ModelNames {
    static final int MAX = 64;
    private static final int HASH_HEX = 8;

    private ModelNames() {
    }

    /** The model's name of each of {@code listedAs} ({@code SERVER/TOOL}), keyed by it, in the order given. */
    static Map<String, String> of(Collection<String> listedAs) {
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, Integer> uses = new HashMap<>();
        for (String tool : listedAs) {
            String name = plain(tool);
            plain.put(tool, name);
            uses.merge(name, 1, Integer::sum);
        }
        Map<String, String> names = new LinkedHashMap<>();
        plain.forEach((tool, name) -> names.put(tool,
                name.length() > MAX || uses.get(name) > 1 ? hashed(name, tool) : name));
        return names;
    }

    private static String plain(String listedAs) {
        int slash = listedAs.indexOf('/');
        String joined = listedAs.substring(0, slash) + "__" + listedAs.substring(slash + 1);
        return joined.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String hashed(String name, String listedAs) {
        String prefix = name.substring(0, Math.min(name.length(), MAX - HASH_HEX - 1));
        return prefix + "_" + sha256Hex(listedAs).substring(0, HASH_HEX);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
