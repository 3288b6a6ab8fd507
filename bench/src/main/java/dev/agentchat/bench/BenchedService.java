package dev.agentchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service a benchmark measures: its jar, how its JVM starts and where its logs go, as the bench's
 * system properties say ({@code bench.jar}, {@code bench.serviceJvm}, {@code bench.logs}); each property
 * {@code bench.env.NAME=value} adds {@code NAME=value} to its environment (over what the benchmark sets),
 * so that one run can measure the service configured otherwise.
 */
record BenchedService(Path jar, List<String> jvmOptions, Path logs) {
    private static final String ENV_PREFIX = "bench.env.";

    static BenchedService fromProperties() throws IOException {
        Path logs = Path.of(System.getProperty("bench.logs", "bench/target"));
        Files.createDirectories(logs);
        return new BenchedService(Path.of(System.getProperty("bench.jar", "bootstrap/target/agentchat.jar")),
                List.of(System.getProperty("bench.serviceJvm", "-Xmx1g -XX:+UseG1GC").split(" ")), logs);
    }

    /** Starts the service with {@code environment}, its output in the log file {@code logName}. */
    ServiceProcess start(Map<String, String> environment, String logName) throws Exception {
        Map<String, String> configured = new HashMap<>(environment);
        configured.putAll(environmentFromProperties());
        return ServiceProcess.start(jar, jvmOptions, configured, logs.resolve(logName));
    }

    /** The environment the bench's {@code bench.env.NAME=value} system properties give the service. */
    static Map<String, String> environmentFromProperties() {
        Map<String, String> environment = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(ENV_PREFIX))
                .forEach(name -> environment.put(name.substring(ENV_PREFIX.length()), System.getProperty(name)));
        return environment;
    }

    /** Where the service's log for {@code logName} goes. */
    Path log(String logName) {
        return logs.resolve(logName);
    }

    /** The scenario's argument at {@code index}, or {@code fallback} when it was not given. */
    static String arg(String[] args, int index, String fallback) {
        return args.length > index ? args[index] : fallback;
    }
}
