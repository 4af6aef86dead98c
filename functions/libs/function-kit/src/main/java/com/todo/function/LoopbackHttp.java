package com.todo.function;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP exchange with a peer on the pod's loopback: the Dapr sidecar, or the gateway in local mode. Sent with
 * {@link HttpURLConnection}, not the JDK's {@code HttpClient}, whose first client initializes the JDK's TLS and a
 * selector thread on every cold start (docs/benchmarks.md, "Same-run comparisons"); its keep-alive cache reuses
 * the connection from call to call. Bodies are buffered, not streamed: the JDK resends a buffered request once
 * when a kept-alive connection turns out to be closed, and a streamed one it cannot.
 */
public final class LoopbackHttp {

    /** What the peer answered. */
    public record Answer(int status, byte[] body, @Nullable String etag) {

        public boolean ok() {
            return status / 100 == 2;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final byte[] NONE = new byte[0];
    private static final int MAX_SIZED = 1 << 20;

    private final String token;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    /**
     * @param token   value of the {@code dapr-api-token} header, or empty for none
     * @param connect how long a connection may take
     * @param answer  how long the answer may take once connected
     */
    public LoopbackHttp(String token, Duration connect, Duration answer) {
        this.token = token;
        this.connectTimeoutMs = (int) connect.toMillis();
        this.readTimeoutMs = (int) answer.toMillis();
    }

    /**
     * @param body        the request body, or null for none
     * @param contentType its content type (ignored without a body)
     * @throws IOException when no answer came: refused, reset or too slow
     */
    public Answer exchange(String method, String url, @Nullable byte[] body, @Nullable String contentType)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(connectTimeoutMs);
            connection.setReadTimeout(readTimeoutMs);
            if (!token.isEmpty()) {
                connection.setRequestProperty(AppApiTokenFilter.HEADER, token);
            }
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", contentType);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            // read to the end, so the connection goes back to the keep-alive cache; by the announced length when
            // there is one (none for a 204), as readAllBytes starts with a 16 KB buffer, even for an empty body
            long length = status == 204 ? 0 : connection.getContentLengthLong();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                byte[] answer = in == null || length == 0 ? NONE
                        : length > 0 && length <= MAX_SIZED ? in.readNBytes((int) length) : in.readAllBytes();
                return new Answer(status, answer, connection.getHeaderField("ETag"));
            }
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }
}
