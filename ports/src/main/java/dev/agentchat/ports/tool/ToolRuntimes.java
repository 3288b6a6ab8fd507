package dev.agentchat.ports.tool;

import dev.agentchat.domain.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Tool runtimes put together: the service's own tools beside those of tool servers. */
public final class ToolRuntimes {
    private static final System.Logger LOG = System.getLogger(ToolRuntimes.class.getName());

    private ToolRuntimes() {
    }

    /**
     * One runtime offering the tools of all of {@code runtimes}, each call run by the runtime that offers its tool,
     * and drawing on the servers of all of them. A name two runtimes both offer is the first one's: a model is
     * never offered two tools of one name; the other is left out, and the log says so.
     */
    public static ToolRuntime combined(List<ToolRuntime> runtimes) {
        return new Combined(List.copyOf(runtimes));
    }

    private static final class Combined implements ToolRuntime {
        private final List<ToolRuntime> runtimes;
        /** The clashes logged already: definitions are read on every turn, and a clash is told of once. */
        private final Set<String> reported = ConcurrentHashMap.newKeySet();

        Combined(List<ToolRuntime> runtimes) {
            this.runtimes = runtimes;
        }

        @Override
        public List<ToolDefinition> definitions() {
            return offered().stream().map(Offer::definition).toList();
        }

        @Override
        public List<ToolSource> sources() {
            return runtimes.stream().flatMap(runtime -> runtime.sources().stream()).toList();
        }

        @Override
        public ToolOutcome execute(ToolInvocation invocation, ToolProgress progress) {
            // Read afresh on every call: a tool server's tools change while the service runs.
            return offered().stream().filter(offer -> offer.definition().name().equals(invocation.toolName())).findFirst()
                    .map(offer -> offer.runtime().execute(invocation, progress))
                    .orElseGet(() -> new ToolOutcome.Failed("There is no tool named '" + invocation.toolName() + "'."));
        }

        private List<Offer> offered() {
            List<Offer> offers = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (ToolRuntime runtime : runtimes) {
                for (ToolDefinition definition : runtime.definitions()) {
                    if (names.add(definition.name())) {
                        offers.add(new Offer(definition, runtime));
                    } else if (reported.add(definition.listedAs() + " " + definition.name())) {
                        LOG.log(System.Logger.Level.WARNING, "The tool listed as " + definition.listedAs()
                                + " is not offered: another tool has its name, " + definition.name());
                    }
                }
            }
            return offers;
        }
    }

    private record Offer(ToolDefinition definition, ToolRuntime runtime) {
    }
}
