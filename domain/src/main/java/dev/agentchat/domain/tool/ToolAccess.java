package dev.agentchat.domain.tool;

import dev.agentchat.domain.Require;

/** Whether an agent may have a tool call run: allowed, or refused with what the model is told. */
public sealed interface ToolAccess permits ToolAccess.Allowed, ToolAccess.Refused {

    ToolAccess ALLOWED = new Allowed();

    /** The call may run. */
    record Allowed() implements ToolAccess {
    }

    /** The call does not run; the model hears {@code reason} as the call's error. */
    record Refused(String reason) implements ToolAccess {
        public Refused {
            Require.nonBlank(reason, "reason");
        }
    }
}
