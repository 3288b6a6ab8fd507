package dev.agentchat.bootstrap.logging;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is configured already: {@code Main} configures java.util.logging itself,
 * from {@code logging.properties} and the settings, before the server starts. Without a provider Helidon
 * writes a line of plain text to the standard error ("There is no Helidon logging implementation...")
 * past the log handlers, which a shipper reading JSON lines there would choke on; and Helidon's provider
 * for java.util.logging (helidon-logging-jul) configures it again from {@code logging.properties}, which
 * would drop the JSON format.
 * Registered in {@code META-INF/services}, found by Helidon's service loader.
 */
public final class LoggingConfiguredByMain implements LoggingProvider {

    @Override
    public void initialization() {
        // Main has configured logging before anything of Helidon's runs.
    }

    @Override
    public void runTime() {
        // Nothing changes at run time: the configuration is read once, at start-up.
    }
}
