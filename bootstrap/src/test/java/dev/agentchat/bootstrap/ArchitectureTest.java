package dev.agentchat.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.agentchat.domain.refusal.Refusal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of the hexagon, as an allow-list per module: what each module's production
 * classes may depend on. Read together with the "shape" section of the README.
 */
class ArchitectureTest {
    private static final String DOMAIN = "dev.agentchat.domain..";
    private static final String PORTS = "dev.agentchat.ports..";
    private static final String ADAPTERS = "dev.agentchat.adapter..";
    private static final String BOOTSTRAP = "dev.agentchat.bootstrap..";

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TEST_FIXTURES)
                // Test jars shared between modules (fakes, contract suites) are test code too.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.agentchat");
    }

    @Test
    void every_module_is_on_the_class_path_being_checked() {
        for (String module : new String[] {"domain", "ports", "adapter.memory", "adapter.tools", "adapter.mcp", "adapter.openai", "adapter.openaijava", "adapter.cosmos", "adapter.http", "adapter.oidc", "adapter.prometheus", "adapter.opentelemetry", "bootstrap"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("dev.agentchat." + module)))
                    .as("classes of " + module).isTrue();
        }
    }

    @Test
    void the_domain_depends_on_the_jdk_alone() {
        classes().that().resideInAPackage(DOMAIN)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN)
                .because("the domain is pure Java that any JVM application can reuse")
                .check(classes);
    }

    @Test
    void the_domain_does_no_io_no_threading_and_reads_no_clock() {
        noClasses().that().resideInAPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..",
                        "java.sql..", "java.util.concurrent..", "java.util.logging..", "java.lang.reflect..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Thread.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.time.Clock.class.getName())
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .because("time and ids are passed into the domain, and effects happen in the shell")
                .check(classes);
    }

    @Test
    void the_ports_read_the_time_and_wait_for_it_only_through_the_clock() {
        noClasses().that().resideInAPackage(PORTS).and().resideOutsideOfPackage("dev.agentchat.ports.time..")
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(Thread.class, "sleep", java.time.Duration.class)
                .orShould().callMethod(java.util.concurrent.CountDownLatch.class, "await", long.class,
                        java.util.concurrent.TimeUnit.class)
                .orShould().callMethod(java.util.concurrent.Future.class, "get", long.class, java.util.concurrent.TimeUnit.class)
                .orShould().callMethod(java.util.concurrent.locks.Condition.class, "awaitNanos", long.class)
                .because("deadlines, timeouts and pauses take their time from the Clock, which a test can move")
                .check(classes);
    }

    /**
     * The HTTP adapter maps every refusal by an exhaustive switch over {@link Refusal}; anything else
     * thrown through the ports must be one of the failures it handles by name, or it would become a 500.
     */
    @Test
    void what_the_domain_and_the_ports_throw_is_a_refusal_or_a_named_failure() {
        classes().that().resideInAnyPackage(DOMAIN, PORTS).and().areAssignableTo(Throwable.class)
                .and().areNotAssignableTo(Refusal.class)
                .should().haveFullyQualifiedName("dev.agentchat.domain.lifecycle.IllegalTransition")
                .orShould().haveFullyQualifiedName("dev.agentchat.ports.store.RecordConflict")
                .orShould().haveFullyQualifiedName("dev.agentchat.ports.store.StoreFailure")
                .orShould().haveFullyQualifiedName("dev.agentchat.ports.chat.ModelFailure")
                .orShould().haveFullyQualifiedName("dev.agentchat.ports.chat.ClientDisconnected")
                .orShould().haveFullyQualifiedName("dev.agentchat.ports.chat.wire.UnreadableEvent")
                .because("a refusal a caller can cause extends Refusal, so the HTTP status is chosen where the "
                        + "compiler sees every case; the rest are faults named here, each handled on purpose")
                .check(classes);
    }

    @Test
    void the_ports_depend_on_the_jdk_and_the_domain_alone() {
        classes().that().resideInAPackage(PORTS)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS)
                .because("no framework types cross the hexagon's boundary")
                .check(classes);
    }

    @Test
    void the_memory_adapter_depends_on_the_jdk_the_ports_and_the_domain_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.memory..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.memory..")
                .check(classes);
    }

    @Test
    void the_http_adapter_depends_on_the_ports_the_domain_helidon_and_jackson_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.http..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.http..", "io.helidon..", "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void the_tools_adapter_depends_on_the_ports_the_domain_and_jackson_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.tools..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.tools..", "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void the_mcp_adapter_depends_on_the_ports_the_domain_the_mcp_sdk_and_its_schema_validator_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.mcp..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.mcp..", "io.modelcontextprotocol..", "com.fasterxml.jackson..",
                        "reactor..", "org.reactivestreams..", "com.networknt.schema..")
                .because("speaking MCP is the official MCP Java SDK's job (on Reactor and Jackson, as it is built), and "
                        + "checking a call's arguments against its tool's input schema is the JSON Schema validator's "
                        + "the SDK is built with")
                .check(classes);
    }

    @Test
    void the_openai_adapter_depends_on_the_ports_the_domain_and_the_azure_sdk_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.openai..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.openai..", "com.azure..", "reactor..", "io.netty..", "org.reactivestreams..",
                        "com.knuddels.jtokkit..")
                .check(classes);
    }

    @Test
    void the_openai_java_adapter_depends_on_the_ports_the_domain_the_openai_sdk_and_okhttp_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.openaijava..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.openaijava..", "com.openai..", "okhttp3..", "kotlin..",
                        "com.fasterxml.jackson.databind..", "com.knuddels.jtokkit..",
                        // Entra ID only: the credential that supplies the bearer token.
                        "com.azure.identity..", "com.azure.core.credential..")
                .check(classes);
    }

    @Test
    void only_the_openai_java_adapter_sees_the_openai_sdk_okhttp_and_kotlin() {
        noClasses().that().resideOutsideOfPackage("dev.agentchat.adapter.openaijava..")
                .should().dependOnClassesThat().resideInAnyPackage("com.openai..", "okhttp3..", "kotlin..")
                .because("a swap of the model client touches only its adapter")
                .check(classes);
    }

    @Test
    void the_cosmos_adapter_depends_on_the_ports_the_domain_and_the_cosmos_sdk_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.cosmos..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.cosmos..", "com.azure..", "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void the_oidc_adapter_depends_on_the_ports_the_domain_and_nimbus_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.oidc..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.oidc..", "com.nimbusds..")
                .because("verifying a token is nimbus-jose-jwt's job; the HTTP client is the JDK's")
                .check(classes);
    }

    @Test
    void the_prometheus_adapter_depends_on_the_ports_the_domain_and_micrometer_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.prometheus..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.prometheus..", "io.micrometer..", "io.prometheus..")
                .because("metrics are Micrometer's and its Prometheus registry's job")
                .check(classes);
    }

    @Test
    void the_opentelemetry_adapter_depends_on_the_ports_the_domain_the_opentelemetry_sdk_and_jackson_alone() {
        classes().that().resideInAPackage("dev.agentchat.adapter.opentelemetry..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, PORTS,
                        "dev.agentchat.adapter.opentelemetry..", "io.opentelemetry..", "com.fasterxml.jackson.core..")
                .because("traces are the OpenTelemetry SDK's job; jackson-core writes the captured content")
                .check(classes);
    }

    @Test
    void only_the_opentelemetry_adapter_sees_opentelemetry_and_only_the_prometheus_adapter_sees_micrometer() {
        noClasses().that().resideOutsideOfPackage("dev.agentchat.adapter.opentelemetry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.opentelemetry..")
                .because("a change of tracing library touches only its adapter")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.agentchat.adapter.prometheus..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .because("a change of metrics library touches only its adapter")
                .check(classes);
    }

    @Test
    void no_adapter_depends_on_another() {
        slices().matching("dev.agentchat.adapter.(*)..")
                .should().notDependOnEachOther()
                .check(classes);
    }

    @Test
    void only_the_bootstrap_depends_on_adapters() {
        noClasses().that().resideOutsideOfPackages(ADAPTERS, BOOTSTRAP)
                .should().dependOnClassesThat().resideInAPackage(ADAPTERS)
                .because("which adapter is used is decided only in the bootstrap")
                .check(classes);
    }
}
