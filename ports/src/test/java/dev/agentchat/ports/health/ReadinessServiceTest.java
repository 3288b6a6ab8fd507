package dev.agentchat.ports.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Readiness told from the required dependencies, each asked at every probe, and from the drain. */
class ReadinessServiceTest {

    private static RequiredDependency dependency(String name, Supplier<Optional<String>> problem) {
        return new RequiredDependency() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> problem() {
                return problem.get();
            }
        };
    }

    @Test
    void a_service_without_required_dependencies_is_ready() {
        assertThat(new ReadinessService(List.of()).readiness()).isEqualTo(Readiness.READY);
    }

    @Test
    void each_dependency_that_does_not_answer_is_named_with_why_in_the_order_given() {
        ReadinessService readiness = new ReadinessService(List.of(
                dependency("cosmos-db", () -> Optional.of("Connection refused")),
                dependency("vault", Optional::empty),
                dependency("model", () -> Optional.of("timed out"))));

        assertThat(readiness.readiness().problems()).containsExactly("cosmos-db: Connection refused", "model: timed out");
        assertThat(readiness.readiness().isReady()).isFalse();
    }

    @Test
    void a_dependency_whose_check_throws_does_not_answer_and_the_probe_still_does() {
        ReadinessService readiness = new ReadinessService(List.of(dependency("cosmos-db", () -> {
            throw new IllegalStateException("client closed");
        })));

        assertThat(readiness.readiness().problems()).containsExactly("cosmos-db: its check failed: IllegalStateException");
    }

    @Test
    void a_draining_service_is_not_ready_even_with_every_dependency_answering() {
        ReadinessService readiness = new ReadinessService(List.of(dependency("cosmos-db", Optional::empty)));

        readiness.drain();

        assertThat(readiness.readiness().problems()).containsExactly(ReadinessService.DRAINING);
    }
}
