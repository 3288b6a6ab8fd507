package dev.agentchat.ports.chat;

import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.thread.ThreadStore;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;
import java.util.Objects;

/** What every chat turn works with: the outbound ports and the settings. */
public record TurnContext(ChatModel model, ToolRuntime tools, ThreadStore threads, MessageStore messages, RunStore runs,
                   StepStore steps,
                   Clock clock, IdSource ids, ChatSettings settings, Telemetry telemetry) {

    public TurnContext {
        Objects.requireNonNull(telemetry, "telemetry");
    }

    /** A context whose turns nothing watches. */
    public TurnContext(ChatModel model, ToolRuntime tools, ThreadStore threads, MessageStore messages, RunStore runs,
                       StepStore steps, Clock clock, IdSource ids, ChatSettings settings) {
        this(model, tools, threads, messages, runs, steps, clock, ids, settings, Telemetry.OFF);
    }

    /** The turn's stores as one set of {@code records}, with the model and tools that answer and the settings. */
    public TurnContext(RunRecords records, ChatModel model, ToolRuntime tools, Clock clock, IdSource ids,
                       ChatSettings settings) {
        this(Objects.requireNonNull(model, "model"), Objects.requireNonNull(tools, "tools"), records.threads(),
                records.messages(), records.runs(), records.steps(), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(ids, "ids"), Objects.requireNonNull(settings, "settings"), Telemetry.OFF);
    }

    /** This context, its turns watched by {@code watching}. */
    public TurnContext watchedBy(Telemetry watching) {
        return new TurnContext(model, tools, threads, messages, runs, steps, clock, ids, settings, watching);
    }
}
