package com.todo.taskapi;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/**
 * The JDK's own trusted certificates, for the JWKS fetch over https. The images start the JVM with
 * {@code -Djavax.net.ssl.trustStore=NONE} (loading ~140 certificates cost every cold start ~15 ms, docs/benchmarks.md),
 * so the default SSL context trusts nobody; this reads the cacerts file when the first JWKS fetch needs it.
 */
final class JdkTrustedCertificates {

    private JdkTrustedCertificates() {
    }

    static SSLSocketFactory socketFactory() {
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        try (InputStream in = Files.newInputStream(cacerts)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, null);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException("the JDK's trusted certificates (" + cacerts + ") cannot be read", e);
        }
    }
}
