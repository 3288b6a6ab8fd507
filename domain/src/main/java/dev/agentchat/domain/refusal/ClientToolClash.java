package dev.agentchat.domain.refusal;

import java.util.List;

/**
 * The client declares tools of its own named like tools of the agent: the model could not tell whose a
 * call is, so the message is refused rather than one of them hidden.
 *
 * @param tools the names both the client and the agent have
 */
public final class ClientToolClash extends Refusal {
    private final List<String> tools;

    public ClientToolClash(List<String> tools) {
        super(Kind.UNPROCESSABLE, "The client's own tools " + tools + " are named like tools of the agent; "
                + "rename them, for the model must tell whose a call is.");
        if (tools.isEmpty()) {
            throw new IllegalArgumentException("a clash names at least one tool");
        }
        this.tools = List.copyOf(tools);
    }

    public List<String> tools() {
        return tools;
    }
}
