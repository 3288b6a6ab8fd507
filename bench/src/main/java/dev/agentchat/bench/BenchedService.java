package dev.agentchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The service a benchmark measures: its jar, how its JVM starts and where its logs go, as the bench's
 * system properties say ({@code bench.jar}, {@code bench.serviceJvm}, {@code bench.logs}).
 */
record BenchedService(Path jar, List<String> jvmOptions, Path logs) {

    static BenchedService fromProperties() throws IOException {
        Path logs = Path.of(System.getProperty("bench.logs", "bench/target"));
        Files.createDirectories(logs);
        return new BenchedService(Path.of(System.getProperty("bench.jar", "bootstrap/target/agentchat.jar")),
                List.of(System.getProperty("bench.serviceJvm", "-Xmx1g -XX:+UseG1GC").split(" ")), logs);
    }

    /** Starts the service with {@code environment}, its output in the log file {@code logName}. */
    ServiceProcess start(Map<String, String> environment, String logName) throws Exception {
        return ServiceProcess.start(jar, jvmOptions, environment, logs.resolve(logName));
    }

    /** The scenario's argument at {@code index}, or {@code fallback} when it was not given. */
    static String arg(String[] args, int index, String fallback) {
        return args.length > index ? args[index] : fallback;
    }
}
