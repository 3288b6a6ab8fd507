package dev.agentchat.ports.auth;

import dev.agentchat.domain.thread.UserId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * API keys for service callers: each key is known only by its SHA-256 hash, with the user it acts as and
 * that user's roles. A key caller holds no scopes (scopes are what a user delegates to an application; a
 * key is no delegation).
 *
 * <p>The file format, one key a line: {@code <sha256 hex of the key> <user id> [role1,role2,...]}, fields
 * separated by blanks; blank lines and lines starting with {@code #} are ignored. The hash of a key is
 * what {@code printf %s "$KEY" | sha256sum} prints. The file holds no key itself, so reading it tells
 * nothing that lets one call the service.
 *
 * <p>Anything shaped like a JWT (three dot-separated parts) is not a key: it is left to the token verifier.
 */
public final class ApiKeys implements CredentialVerifier {
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern JWT = Pattern.compile("[^.]+\\.[^.]+\\.[^.]*");

    private final List<Entry> entries;

    /** One key: the SHA-256 of its UTF-8 bytes, who it acts as and with which roles. */
    public record Entry(byte[] sha256, UserId userId, Set<String> roles) {
        public Entry {
            Objects.requireNonNull(sha256, "sha256");
            if (sha256.length != 32) {
                throw new IllegalArgumentException("a key's hash is 32 bytes of SHA-256");
            }
            sha256 = sha256.clone();
            Objects.requireNonNull(userId, "userId");
            roles = Set.copyOf(roles);
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }

        /** The entry for a key given in clear (the {@code ADMIN_API_KEY} setting, say): only its hash is kept. */
        public static Entry forKey(String key, UserId userId, Set<String> roles) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("an API key must not be blank");
            }
            return new Entry(ApiKeys.sha256(key), userId, roles);
        }
    }

    public ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No key at all: every credential not shaped like a token is refused. */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /** These keys and one more. */
    public ApiKeys with(Entry entry) {
        List<Entry> more = new ArrayList<>(entries);
        more.add(entry);
        return new ApiKeys(more);
    }

    public int size() {
        return entries.size();
    }

    /**
     * Reads the text of a keys file (format in the class comment).
     *
     * @throws IllegalArgumentException naming the line that is not an entry (the line itself is not quoted back)
     */
    public static ApiKeys parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length < 2 || fields.length > 3 || !HASH.matcher(fields[0]).matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the API keys is not '<sha256 hex> <user id> [role,role...]'");
            }
            Set<String> roles = fields.length == 3
                    ? Set.copyOf(Arrays.stream(fields[2].split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList())
                    : Set.of();
            UserId user;
            try {
                user = UserId.of(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the API keys has no valid user id: " + e.getMessage());
            }
            entries.add(new Entry(HexFormat.of().parseHex(fields[0]), user, roles));
        }
        return new ApiKeys(entries);
    }

    /**
     * The key's caller, compared in constant time: the presented key is hashed, and its hash is compared with
     * every entry's by {@link MessageDigest#isEqual}, without stopping at a match, so that the time taken
     * tells neither which entry matched nor how much of a hash did. (Hashing first also means a comparison
     * never sees the key itself, so even a lookup that leaked timing would leak only bits of a hash.)
     */
    @Override
    public Verification verify(String credential) {
        if (credential == null || credential.isEmpty() || JWT.matcher(credential).matches()) {
            return new Verification.NotMine();
        }
        byte[] presented = sha256(credential);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(presented, entry.sha256) & found == null) {
                found = entry;
            }
        }
        if (found == null) {
            return new Verification.Rejected("unknown API key");
        }
        return new Verification.Accepted(new AuthenticatedCaller(found.userId(), found.userId().value(), found.roles(), Set.of(),
                AuthenticatedCaller.Credential.API_KEY));
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + entries.size() + " keys]";
    }
}
