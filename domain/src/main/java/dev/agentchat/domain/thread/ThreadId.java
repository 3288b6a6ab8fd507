package dev.agentchat.domain.thread;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.agent.AgentId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** Identifies a conversation thread. */
public record ThreadId(String value) {
    /** The longest key a client may name a thread with. */
    public static final int MAX_CLIENT_KEY_LENGTH = 128;

    public ThreadId {
        Require.identifier(value, "thread id");
    }

    public static ThreadId of(String value) {
        return new ThreadId(value);
    }

    /**
     * The thread a client names itself with {@code key} (a protocol whose clients choose thread ids, such as
     * AG-UI): the same key of the same user with the same agent is always the same thread, and another user's
     * or agent's same key another, so a key chosen by one client can never name a thread of someone else.
     */
    public static ThreadId forClient(AgentId agent, UserId user, String key) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(user, "user");
        Require.nonBlank(key, "client thread key");
        Require.maxLength(key, MAX_CLIENT_KEY_LENGTH, "client thread key");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {agent.value(), user.value(), key}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());   // lengths keep the parts apart
                sha.update(bytes);
            }
            return new ThreadId("thread_c" + HexFormat.of().formatHex(sha.digest(), 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
