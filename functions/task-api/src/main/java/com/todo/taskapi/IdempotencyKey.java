package com.todo.taskapi;

import com.todo.domain.IdempotencyKeys;
import io.micronaut.http.HttpRequest;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} request header (draft-ietf-httpapi-idempotency-key-header): a client-chosen key
 * that makes a retried create or completion return the first answer. Given as a structured-field string
 * ({@code "…"}) or as a bare token; either way 1 to 255 visible ASCII characters.
 */
record IdempotencyKey(String value, String fingerprint) {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX_LENGTH = 255;
    private static final Pattern VISIBLE = Pattern.compile("[\\x21-\\x7e]+");

    static Optional<IdempotencyKey> of(HttpRequest<?> request, byte[] canonicalBody) {
        List<String> values = request.getHeaders().getAll(HEADER);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String key = values.size() == 1 ? unquoted(values.get(0).trim()) : null;
        if (key == null || key.length() > MAX_LENGTH || !VISIBLE.matcher(key).matches()) {
            throw new BadRequestException(HEADER + " must be given once, as 1 to " + MAX_LENGTH
                    + " visible ASCII characters (a UUID, say)");
        }
        return Optional.of(new IdempotencyKey(key, IdempotencyKeys.fingerprint(request.getMethodName(),
                request.getPath(), canonicalBody)));
    }

    private static String unquoted(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            String inner = value.substring(1, value.length() - 1);
            return inner.contains("\"") || inner.contains("\\") ? null : inner;
        }
        return value;
    }
}
