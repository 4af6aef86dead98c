package com.todo.platform;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** An HS256 bearer token as scripts/dev-token.sh signs one: {@code sub}, {@code exp} and, if given, {@code roles}. */
public final class DevToken {

    private DevToken() {
    }

    public static String sign(String user, String secret, Duration validFor, String... roles) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String roleClaim = roles.length == 0 ? "" : ",\"roles\":[\"" + String.join("\",\"", roles) + "\"]";
        String claims = b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":"
                + Instant.now().plus(validFor).getEpochSecond() + roleClaim + "}").getBytes(StandardCharsets.UTF_8));
        String signed = header + "." + claims;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
