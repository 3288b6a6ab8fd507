package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the load-balancer tests come by HAProxy: found, installed by the installer, or failing with what to install. */
class HaproxyInstallTest {

    @Test
    void a_missing_haproxy_that_cannot_be_installed_fails_the_test_saying_what_to_install(@TempDir Path folder) throws IOException {
        Path installer = executable(folder.resolve("ensure-haproxy"), "#!/bin/sh\necho 'E: Unable to locate package haproxy'\nexit 100\n");
        Map<String, String> nowhere = Map.of("HAPROXY_BIN", folder.resolve("haproxy").toString());

        assertThatThrownBy(() -> Haproxy.locate(nowhere, installer))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("apt-get install -y haproxy")
                .hasMessageContaining("HAPROXY_BIN")
                .hasMessageContaining("E: Unable to locate package haproxy");
    }

    @Test
    void a_haproxy_installed_by_the_installer_is_found_after_it_ran(@TempDir Path folder) throws IOException {
        Path binary = folder.resolve("haproxy");
        // The installer is told where to put it, as scripts/ensure-haproxy is told where to look.
        Path installer = executable(folder.resolve("ensure-haproxy"), """
                #!/bin/sh
                printf '#!/bin/sh\\n' > "$HAPROXY_BIN" && chmod +x "$HAPROXY_BIN"
                """);

        assertThat(Haproxy.locate(Map.of("HAPROXY_BIN", binary.toString()), installer)).isEqualTo(binary);
    }

    private static Path executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
