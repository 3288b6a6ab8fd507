package dev.agentchat.ports.thread;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A client's own name for a thread, as clients of protocols that choose their thread ids send it (AG-UI's
 * {@code threadId}, often a UUID). It is never used as our id: a client could then name another user's thread.
 */
public record ClientThreadKey(String value) {
    /** The longest name a client may give a thread. */
    public static final int MAX_LENGTH = 128;

    public ClientThreadKey {
        Require.nonBlank(value, "client thread key");
        Require.maxLength(value, MAX_LENGTH, "client thread key");
    }

    /**
     * The thread this name stands for, for {@code user} with {@code agent}: always the same one, and another
     * for any other user or agent, so that the same name from two callers names two threads.
     */
    public ThreadId threadOf(AgentId agent, UserId user) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(user, "user");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {agent.value(), user.value(), value}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());   // lengths keep the parts apart
                sha.update(bytes);
            }
            return ThreadId.of("thread_c" + HexFormat.of().formatHex(sha.digest(), 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
