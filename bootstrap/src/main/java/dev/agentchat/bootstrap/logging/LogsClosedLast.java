package dev.agentchat.bootstrap.logging;

import java.util.logging.LogManager;

/**
 * The java.util.logging manager of the service, named by {@value #PROPERTY}: its handlers stay open until
 * the service has stopped, so that the lines of its shutdown are written.
 *
 * <p>The JDK's own manager closes every handler from a shutdown hook of its own, and the JVM runs all
 * shutdown hooks at once: that hook usually wins the race, and the lines the service logs while it drains
 * and stops were lost. Here a reset asked for while the service is {@link #holdOpen() held open} (the JDK's
 * hook asks for one at shutdown) waits: it is done by {@link #release()}, once the service's own hook has
 * logged its last line. Nothing else resets the logging while the service runs: it is configured once, at
 * start-up ({@link LoggingConfiguredByMain}).
 *
 * <p>The JDK reads {@value #PROPERTY} once, when it first makes a logger or initialises {@link LogManager}: whoever
 * names this class there does so before, without calling anything of this class (which would initialise
 * {@code LogManager}, its superclass, first).
 */
public final class LogsClosedLast extends LogManager {
    /** The system property that names the manager; read once, when the first logger is made. */
    public static final String PROPERTY = "java.util.logging.manager";

    private boolean held;
    private boolean resetWaiting;

    public LogsClosedLast() {
        super();
    }

    /**
     * From now on a reset (the JDK's at shutdown) waits for {@link #release()}. False, and nothing held, when
     * the manager in use is another one (a logger was made before {@link #choose()}, or another was named).
     */
    public static boolean holdOpen() {
        if (LogManager.getLogManager() instanceof LogsClosedLast manager) {
            synchronized (manager) {
                manager.held = true;
            }
            return true;
        }
        return false;
    }

    /** The service has logged its last line: the reset asked for meanwhile, if any, is done now. */
    public static void release() {
        if (LogManager.getLogManager() instanceof LogsClosedLast manager) {
            boolean reset;
            synchronized (manager) {
                manager.held = false;
                reset = manager.resetWaiting;
                manager.resetWaiting = false;
            }
            if (reset) {
                manager.resetNow();
            }
        }
    }

    @Override
    public void reset() {
        synchronized (this) {
            if (held) {
                resetWaiting = true;
                return;
            }
        }
        super.reset();
    }

    private void resetNow() {
        super.reset();
    }
}
