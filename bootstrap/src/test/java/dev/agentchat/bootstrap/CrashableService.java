package dev.agentchat.bootstrap;

import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.ports.tool.ToolOutcome;
import java.util.concurrent.CountDownLatch;

/**
 * The service as {@link Main} starts it, with the stores its environment names (Cosmos DB), but
 * answering from a scripted model and tools: run in a process of its own by a test that kills that
 * process at a moment of the script's making. The system property {@value #SCRIPT_PROPERTY} names a
 * {@link CrashMoment} (none: a model with nothing to say, for a process that only recovers); the port
 * is printed on standard output after {@value #PORT_LINE}.
 */
final class CrashableService {
    static final String SCRIPT_PROPERTY = "agentchat.crash.moment";
    static final String PORT_LINE = "CRASHABLE_SERVICE_PORT=";
    /** A tool of the shipped support agent; here it never returns. */
    static final String BLOCKING_TOOL = "search_knowledge_base";

    private CrashableService() {
    }

    public static void main(String[] args) {
        Settings settings = Settings.load(System.getenv(), args);
        ServiceTelemetry telemetry = ServiceTelemetry.from(settings);
        Main.configureLogging(settings, telemetry.logs());
        ScriptedChatModel model = new ScriptedChatModel();
        String moment = System.getProperty(SCRIPT_PROPERTY, "");
        if (!moment.isEmpty()) {
            CrashMoment.valueOf(moment).script(model);
        }
        ScriptedToolRuntime tools = new ScriptedToolRuntime()
                .tool(BLOCKING_TOOL, (arguments, progress) -> blockUntilInterrupted())
                .tool("current_time", (arguments, progress) -> new ToolOutcome.Succeeded("\"2026-12-04T12:00:00Z\""))
                .tool("calculator", (arguments, progress) -> new ToolOutcome.Succeeded("84"));
        Components components = Main.chooseComponents(settings, telemetry).model(model).tools(tools).build();
        Application application = Application.start(settings, components);
        // As Main does: a process killed with SIGKILL never gets to run it, which is the point of the test.
        Runtime.getRuntime().addShutdownHook(new Thread(application::close, "agentchat-shutdown"));
        System.out.println(PORT_LINE + application.port());
        System.out.flush();
    }


    private static ToolOutcome blockUntilInterrupted() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ToolOutcome.Failed("The tool was stopped.");
    }
}
