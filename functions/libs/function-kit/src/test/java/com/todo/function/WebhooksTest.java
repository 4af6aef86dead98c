package com.todo.function;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhooksTest {

    private final Webhooks publicOnly = new Webhooks(false);

    @Test
    void theSignatureIsHmacSha256OfTheTimestampADotAndTheBody() {
        // the receiver's recipe in docs/api.md, computed independently (Python's hmac module)
        assertEquals("t=1700000000,v1=4eb3458599c6d20f1528041083a0cbead248f9037be2d773425a859d2b7720a9",
                Webhooks.signature("whsec-test", 1_700_000_000L,
                        "{\"type\":\"reminder\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onlyPublicHttpsAddressesAreCalled() {
        for (String url : List.of("https://127.0.0.1/hook", "https://localhost/hook", "https://10.1.2.3/hook",
                "https://192.168.0.10/hook", "https://172.16.5.5/hook", "https://169.254.169.254/latest/meta-data",
                "https://100.64.0.1/hook", "https://0.0.0.0/hook", "https://[::1]/hook", "https://[fd00::1]/hook",
                "https://[fe80::1]/hook", "http://93.184.215.14/hook", "https://user:pw@93.184.215.14/hook",
                "ftp://93.184.215.14/hook", "https:///nohost", "not a url", "https://93.184.215.14/hook#part")) {
            assertTrue(publicOnly.refusal(url).isPresent(), url);
        }
        assertEquals(java.util.Optional.empty(), publicOnly.refusal("https://93.184.215.14/hooks/todo?x=1"));
        assertThrows(IllegalArgumentException.class, () -> publicOnly.post("https://127.0.0.1:9/hook", "s", "id",
                new byte[0]), "refused before any connection");
    }

    @Test
    void localReceiversOnlyWhenAllowed() {
        Webhooks local = new Webhooks(true);
        assertEquals(java.util.Optional.empty(), local.refusal("http://127.0.0.1:8080/hook"));
        assertTrue(local.refusal("ftp://127.0.0.1/hook").isPresent());
    }
}
