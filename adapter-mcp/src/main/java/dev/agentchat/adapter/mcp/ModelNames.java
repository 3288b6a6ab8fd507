package dev.agentchat.adapter.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names the model calls MCP tools by. A model's tool name has 1 to 64 letters, digits, '_' or '-' (OpenAI's
 * function name rule), is unique among the tools it is offered, and should read as what it is; an MCP tool is known
 * as {@code SERVER/TOOL}, with a tool name that may hold any character and be of any length, and two servers may
 * each have a tool of the same name. So:
 * <ol>
 *   <li>the name is {@code SERVER__TOOL}, each character outside [A-Za-z0-9_-] replaced by '_';</li>
 *   <li>when that is longer than 64, or two tools come to the same name by step 1, each such name is cut to 55
 *       characters and ends in '_' and the first 8 hex digits of the SHA-256 of {@code SERVER/TOOL};</li>
 *   <li>a name that is still not unique (a tool literally named as another's hashed name, say {@code read_file_1a2b3c4d}
 *       beside {@code read.file} and {@code read_file}; or two hashes that share 32 bits) is made longer by the hash
 *       of those of its tools with the shortest suffix, 8 hex digits at a time, until every name is unique: the
 *       plain name of the literal tool gets a suffix, and the hashed name it copied stays as it was.</li>
 * </ol>
 * A name depends only on the tools listed, never on the order they were listed in, so it stays the same across
 * restarts.
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
        // How many times 8 hex digits of its hash each name ends in: 0 for the plain name.
        Map<String, Integer> hashes = new LinkedHashMap<>();
        plain.forEach((tool, name) -> hashes.put(tool, name.length() > MAX || uses.get(name) > 1 ? 1 : 0));
        Map<String, String> names = named(plain, hashes);
        for (Map<String, List<String>> clashes = clashes(names); !clashes.isEmpty(); clashes = clashes(names)) {
            for (List<String> tools : clashes.values()) {
                int fewest = tools.stream().mapToInt(hashes::get).min().orElseThrow();
                tools.stream().filter(tool -> hashes.get(tool) == fewest).forEach(tool -> hashes.merge(tool, 1, Integer::sum));
            }
            names = named(plain, hashes);
        }
        return names;
    }

    private static Map<String, String> named(Map<String, String> plain, Map<String, Integer> hashes) {
        Map<String, String> names = new LinkedHashMap<>();
        plain.forEach((tool, name) -> names.put(tool, hashes.get(tool) == 0 ? name : hashed(name, tool, hashes.get(tool))));
        return names;
    }

    /** The tools of each name that more than one tool has. */
    private static Map<String, List<String>> clashes(Map<String, String> names) {
        Map<String, List<String>> byName = new HashMap<>();
        names.forEach((tool, name) -> byName.computeIfAbsent(name, ignored -> new ArrayList<>()).add(tool));
        byName.values().removeIf(tools -> tools.size() < 2);
        return byName;
    }

    private static String plain(String listedAs) {
        int slash = listedAs.indexOf('/');
        String joined = listedAs.substring(0, slash) + "__" + listedAs.substring(slash + 1);
        return joined.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * {@code name} ending in '_' and {@code times} 8 hex digits of the SHA-256 of {@code listedAs}, cut to fit 64.
     * Past the whole hash (beyond any real clash) the digits of the hash of the hash follow.
     */
    private static String hashed(String name, String listedAs, int times) {
        StringBuilder digits = new StringBuilder();
        for (String hash = sha256Hex(listedAs); digits.length() < times * HASH_HEX; hash = sha256Hex(hash)) {
            digits.append(hash);
        }
        String suffix = digits.substring(0, Math.min(times * HASH_HEX, MAX - 2));
        String prefix = name.substring(0, Math.min(name.length(), Math.max(1, MAX - suffix.length() - 1)));
        return prefix + "_" + suffix;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
