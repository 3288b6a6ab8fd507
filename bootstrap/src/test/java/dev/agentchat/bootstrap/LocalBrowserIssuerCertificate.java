package dev.agentchat.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code 127.0.0.1}, made for one test run by the JDK's own {@code keytool}:
 * MSAL.js accepts only an {@code https} authority (msal-common's {@code UrlString.validateAsUri} throws
 * {@code authority_uri_insecure} for any other scheme, loopback included), so the local issuer must speak TLS.
 * Nothing trusts the certificate: the browser is told to ignore certificate errors, and the service fetches
 * the issuer's keys from its plain {@code http} loopback address instead.
 */
final class LocalBrowserIssuerCertificate {
    private LocalBrowserIssuerCertificate() {
    }

    /** A TLS context presenting a fresh self-signed certificate for {@code 127.0.0.1}. */
    static SSLContext forLoopback() {
        Path store = null;
        try {
            store = Files.createTempFile("local-issuer", ".p12");
            Files.delete(store); // keytool refuses to write into an existing empty file
            char[] password = UUID.randomUUID().toString().toCharArray();
            keytool(List.of("-genkeypair", "-alias", "issuer", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", new String(password)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The local issuer's certificate could not be loaded", e);
        } finally {
            if (store != null) {
                try {
                    Files.deleteIfExists(store);
                } catch (IOException ignored) {
                    // a temporary file left behind harms nothing
                }
            }
        }
    }

    private static void keytool(List<String> arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while keytool made the local issuer's certificate", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make the local issuer's certificate: "
                    + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
