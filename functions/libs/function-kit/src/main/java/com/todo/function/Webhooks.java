package com.todo.function;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.HttpURLConnection;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Calls to users' webhooks: POST of a JSON body signed with the webhook's secret (docs/api.md has the receiver's
 * recipe). {@code Todo-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, and
 * {@code Todo-Webhook-Id} names the message, the same on every retry. Only public https addresses are called (no
 * redirects): a URL whose host resolves to a loopback, private, link-local or other internal address is refused,
 * unless {@code todo.webhooks.allow-private-addresses} is set (local receivers in tests and local mode). The host is
 * resolved again when connecting, so a name that changes its answer in between is not caught (DNS rebinding).
 */
@Singleton
public class Webhooks {

    public static final String SIGNATURE = "Todo-Signature";
    public static final String ID = "Todo-Webhook-Id";
    public static final int MAX_URL = 2000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ANSWER = 1000;

    private final boolean allowPrivate;

    public Webhooks(@Value("${todo.webhooks.allow-private-addresses:false}") boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** What the receiver answered. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** Why this URL may not be called, if it may not. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        if (url.length() > MAX_URL || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return Optional.of("must be an absolute URL with a host, no user info or fragment, at most " + MAX_URL
                    + " characters");
        }
        if (!"https".equals(uri.getScheme()) && !(allowPrivate && "http".equals(uri.getScheme()))) {
            return Optional.of("must be https");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (internal(address)) {
                    return Optional.of("must be a public address, not " + address.getHostAddress());
                }
            }
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve");
        }
        return Optional.empty();
    }

    /**
     * POSTs the signed body; throws when the URL is refused or cannot be reached. HttpURLConnection, not the JDK's
     * HttpClient, which a function must not start (ArchitectureTest: its TLS and selector thread at every cold start).
     */
    public Answer post(String url, String secret, String messageId, byte[] body) {
        Optional<String> refused = refusal(url);
        if (refused.isPresent()) {
            throw new IllegalArgumentException("webhook URL " + refused.get());
        }
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty(ID, messageId);
            connection.setRequestProperty(SIGNATURE, signature(secret, Instant.now().getEpochSecond(), body));
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] answer = in == null ? new byte[0] : in.readNBytes(MAX_ANSWER);
            return new Answer(status, new String(answer, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("webhook not reached: " + e, e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** A new signing secret: 32 random bytes, base64url. */
    public String newSecret() {
        byte[] bytes = new byte[32];
        Random.SECURE.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Also a random token for a challenge. */
    public String newChallenge() {
        return newSecret();
    }

    public static String signature(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Made on first use: reminder-due creates this bean at its cold start and needs randomness only in task-api. */
    private static final class Random {
        static final SecureRandom SECURE = new SecureRandom();
    }

    static boolean internal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
        }
        return address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
    }
}
