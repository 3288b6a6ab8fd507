package dev.agentchat.domain.agent;

/**
 * How an agent's model is asked; a null setting leaves the model service's default.
 *
 * @param deployment      the model or deployment name, where the service offers several
 * @param temperature     sampling temperature, 0 to 2
 * @param maxOutputTokens the longest answer one model call may give, in tokens
 */
public record ModelSettings(String deployment, Double temperature, Integer maxOutputTokens) {
    public static final ModelSettings DEFAULTS = new ModelSettings(null, null, null);

    public ModelSettings {
        if (deployment != null && (deployment.isBlank() || deployment.length() > 128)) {
            throw new IllegalArgumentException("a deployment name has 1 to 128 characters");
        }
        if (temperature != null && (temperature < 0 || temperature > 2 || temperature.isNaN())) {
            throw new IllegalArgumentException("temperature must be from 0 to 2, was " + temperature);
        }
        if (maxOutputTokens != null && (maxOutputTokens < 1 || maxOutputTokens > 1_000_000)) {
            throw new IllegalArgumentException("max output tokens must be from 1 to 1,000,000, was " + maxOutputTokens);
        }
    }

    /** The deployment these settings name, or {@code defaultDeployment} when they leave it to the service. */
    public String deploymentOr(String defaultDeployment) {
        return deployment != null ? deployment : defaultDeployment;
    }
}
