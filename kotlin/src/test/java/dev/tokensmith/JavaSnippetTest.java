package dev.tokensmith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the vendor's Java (OkHttp) snippets do, done through tokensmith from Java: fetch a token with the client
 * id and secret, then call an endpoint with it; and the same with an API key. No JSON or header handling by hand.
 */
class JavaSnippetTest {
    private static ClientConfig config() {
        ClientConfig config = new ClientConfig(Mock.INSTANCE.getBaseUrl());
        config.setInitialBackoffMs(10L);
        return config;
    }

    @Test
    void getTokenThenCallWithTheBearer() throws TokensmithException {
        Mock.INSTANCE.reset();
        AkoolClient akool = AkoolClient.fromClientCredentials("mock-client-id", "mock-api-key-0123456789abcdefghi", config());
        String token = akool.token();
        assertTrue(token.startsWith("mock-token-"));
        Map<String, String> headers = akool.authHeaders();
        assertEquals("Bearer " + token, headers.get("authorization"));
        String data = akool.request("POST", "/api/open/v3/faceswap/highquality/specifyimage", "{\"modifyImage\": \"https://x/b.png\"}");
        assertTrue(data.contains("\"auth\":\"bearer\""), data);
        // Per-call options from Java: the generated record's constructor, and the Sequence's iterator.
        CallOptions slow = new CallOptions(30_000L, Map.of("x-tenant", "acme"), 0);
        assertTrue(akool.request("GET", "/api/open/v3/faceswap/quota/info", null, slow).contains("bearer"));
        AceDataPlatform platform = new AceDataPlatform("platform-v1-mock-0123456789", config());
        java.util.Iterator<Credential> all = Credentials.iterCredentials(platform).iterator();
        assertTrue(!all.hasNext());
    }

    @Test
    void apiKeyAndATypedFailure() throws TokensmithException {
        Mock.INSTANCE.reset();
        AkoolClient akool = AkoolClient.fromApiKey("wrong-key", config());
        TokensmithException.Authentication error = assertThrows(
            TokensmithException.Authentication.class,
            () -> akool.request("GET", "/api/open/v3/faceswap/quota/info"));
        assertEquals(Long.valueOf(1101), error.getDetails().getAkoolCode());
        assertEquals(Integer.valueOf(200), error.details().getStatus());
        assertTrue(error.getMessage().startsWith("authentication failed (HTTP 200, Akool code 1101"), error.getMessage());
    }
}
