package dev.agentchat.adapter.mcp;

import static org.awaitility.Awaitility.await;

import dev.agentchat.ports.contract.ToolRuntimeContract;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolRuntime;
import dev.agentchat.ports.tool.ToolSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What every tool runtime does, shown on the tools of test-server.mjs over stdio (the everything server's tools
 * include ones that run for seconds with no arguments, too slow to call with every kind of argument).
 */
class McpToolsContractTest extends ToolRuntimeContract {
    private McpTools tools;

    @Override
    protected ToolRuntime createSubject() {
        tools = McpTools.connect(new McpServers(List.of(TestServers.testServer("test"))), Clock.system());
        await().atMost(Duration.ofSeconds(30)).until(() -> tools.sources().stream().allMatch(ToolSource::reachable));
        return tools;
    }

    @Override
    protected ToolInvocation aSuccessfulInvocation() {
        return new ToolInvocation("test__record", "{\"text\": \"hello\"}");
    }

    @AfterEach
    void closeTools() {
        tools.close();
    }
}
