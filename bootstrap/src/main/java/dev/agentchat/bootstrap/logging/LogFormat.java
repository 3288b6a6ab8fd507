package dev.agentchat.bootstrap.logging;

/** How each log record is written, by its {@code LOG_FORMAT} name. */
public enum LogFormat {
    /** One line of text a person reads: the default. */
    TEXT("text"),
    /** One JSON object a line, with the ids of the work in scope, for a log shipper. */
    JSON("json");

    private final String setting;

    LogFormat(String setting) {
        this.setting = setting;
    }

    /** The value of {@code LOG_FORMAT} that chooses it. */
    public String setting() {
        return setting;
    }

    /** The format {@code setting} names. */
    public static LogFormat named(String setting) {
        for (LogFormat format : values()) {
            if (format.setting.equals(setting)) {
                return format;
            }
        }
        throw new IllegalArgumentException(setting);
    }
}
