package dev.agentchat.ports.chat;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.thread.ClientThreadKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A user's message to an agent.
 *
 * @param threadId        the thread to continue; empty to open a new one
 * @param idempotencyKey  the client's key for this request: a retry with the same key gets the same run
 * @param clientThreadKey the client's own name for the thread, instead of {@code threadId} (clients of
 *                        protocols that choose their thread ids): the user's thread of that name with the
 *                        agent is continued, or opened under it ({@link ClientThreadKey#threadOf})
 * @param clientTools     tools the client runs itself (AG-UI's frontend tools), offered to the model beside
 *                        the agent's own: a call of one pauses the run until the client gives its result
 */
public record ChatCommand(AgentId agentId, UserId userId, Optional<ThreadId> threadId, String message,
                          Optional<String> idempotencyKey, Optional<ClientThreadKey> clientThreadKey,
                          List<ToolDefinition> clientTools) {
    /** The most tools a client may declare for one message. */
    public static final int MAX_CLIENT_TOOLS = 64;
    /**
     * The most characters a client's tools may take together (names, descriptions, parameter schemas): they are
     * kept on the run, whose record is rewritten at each of its moves and must stay well inside a store's item
     * size with the calls and results a pause keeps beside them.
     */
    public static final int MAX_CLIENT_TOOLS_LENGTH = 131_072;
    /** The longest message a user may send, in characters (about 8,000 tokens of English). */
    public static final int MAX_MESSAGE_LENGTH = 32_768;

    public ChatCommand {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(threadId, "threadId");
        Require.nonBlank(message, "message");
        Require.maxLength(message, MAX_MESSAGE_LENGTH, "message");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        idempotencyKey.ifPresent(IdempotentRequest::checkKey);
        Objects.requireNonNull(clientThreadKey, "clientThreadKey");
        if (threadId.isPresent() && clientThreadKey.isPresent()) {
            throw new IllegalArgumentException("a message names its thread by our id or by the client's key, not both");
        }
        clientTools = List.copyOf(clientTools);
        if (clientTools.size() > MAX_CLIENT_TOOLS) {
            throw new IllegalArgumentException("a client declares at most " + MAX_CLIENT_TOOLS + " tools, was "
                    + clientTools.size());
        }
        if (lengthOf(clientTools) > MAX_CLIENT_TOOLS_LENGTH) {
            throw new IllegalArgumentException("a client's tools take at most " + MAX_CLIENT_TOOLS_LENGTH
                    + " characters together, were " + lengthOf(clientTools));
        }
        var names = new HashSet<String>();
        for (ToolDefinition tool : clientTools) {
            if (!names.add(tool.name())) {
                throw new IllegalArgumentException("the client declares tool '" + tool.name() + "' twice");
            }
        }
    }

    /** The characters {@code tools} take: their names, descriptions and parameter schemas. */
    public static int lengthOf(List<ToolDefinition> tools) {
        return tools.stream().mapToInt(tool -> tool.name().length() + tool.description().length()
                + tool.parametersSchema().length()).sum();
    }

    /** A message that declares no tools of the client's. */
    public ChatCommand(AgentId agentId, UserId userId, Optional<ThreadId> threadId, String message,
                       Optional<String> idempotencyKey, Optional<ClientThreadKey> clientThreadKey) {
        this(agentId, userId, threadId, message, idempotencyKey, clientThreadKey, List.of());
    }

    /** A message to a thread named by our id (or to a new one), with an optional idempotency key. */
    public ChatCommand(AgentId agentId, UserId userId, Optional<ThreadId> threadId, String message,
                       Optional<String> idempotencyKey) {
        this(agentId, userId, threadId, message, idempotencyKey, Optional.empty());
    }

    /** A message to the thread the client names {@code key}: continued if the user has it with the agent, opened otherwise. */
    public static ChatCommand toClientThread(AgentId agentId, UserId userId, String key, String message,
                                             Optional<String> idempotencyKey) {
        return toClientThread(agentId, userId, key, message, idempotencyKey, List.of());
    }

    /** As {@link #toClientThread(AgentId, UserId, String, String, Optional)}, offering the model the client's own tools. */
    public static ChatCommand toClientThread(AgentId agentId, UserId userId, String key, String message,
                                             Optional<String> idempotencyKey, List<ToolDefinition> clientTools) {
        return new ChatCommand(agentId, userId, Optional.empty(), message, idempotencyKey,
                Optional.of(new ClientThreadKey(key)), clientTools);
    }

    /** A message sent without an idempotency key. */
    public ChatCommand(AgentId agentId, UserId userId, Optional<ThreadId> threadId, String message) {
        this(agentId, userId, threadId, message, Optional.empty());
    }

    /** A digest of what is asked (agent, user, thread, message and the client's tools), to tell a retry from a different request. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {agentId.value(), userId.value(), threadId.map(ThreadId::value).orElse(""),
                    clientThreadKey.map(key -> "client:" + key.value()).orElse(""), message,
                    clientTools.stream().map(tool -> tool.name() + "\u0000" + tool.description() + "\u0000"
                            + tool.parametersSchema()).collect(Collectors.joining("\u0001"))}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());   // lengths keep the parts apart
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
