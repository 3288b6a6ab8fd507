package dev.agentchat.bootstrap;

/**
 * The service on the adapters {@link Main} picks for some settings, as it is deployed, with a client of it. Closing
 * it stops the service and closes what it opened.
 */
record ServiceAsDeployed(Components components, Application application, ServiceClient client) implements AutoCloseable {

    static ServiceAsDeployed start(Settings settings) {
        Components components = Main.chooseComponents(settings).build();
        Application application = Application.start(settings, components);
        return new ServiceAsDeployed(components, application, new ServiceClient(application.port()));
    }

    @Override
    public void close() {
        client.close();
        application.close();
        components.close();
    }
}
