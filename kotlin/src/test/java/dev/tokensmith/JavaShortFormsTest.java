package dev.tokensmith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensmith.testing.MockServer;
import dev.tokensmith.testing.TokensmithMockExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JVM API from Java without a trailing null: every defaulted argument of the generated Kotlin (records,
 * constructors, named constructors, methods) can be left out, as scripts/patch-kotlin-bindings makes it. Each call
 * here is a short form, so this file stops compiling if one goes missing. Records are built by their leading
 * arguments and named setters, never by position past the first field, so new fields do not break them.
 */
@ExtendWith(TokensmithMockExtension.class)
class JavaShortFormsTest {
    private static ClientConfig config(MockServer mock) {
        ClientConfig config = new ClientConfig();
        config.setBaseUrl(mock.getBaseUrl());
        config.setInitialBackoffMs(10L);
        return config;
    }

    @Test
    void clientsAreMadeWithoutTheirDefaults(MockServer mock) throws TokensmithException {
        // Building a client sends nothing, so these (at the vendors' real URLs) stay offline.
        try (AkoolClient byKey = AkoolClient.fromApiKey(mock.getApiKey());
             AkoolClient byCredentials = AkoolClient.fromClientCredentials(mock.getClientId(), mock.getClientSecret());
             AsyncAkoolClient async = AsyncAkoolClient.fromApiKey(mock.getApiKey());
             AceDataPlatform platform = new AceDataPlatform(mock.getPlatformToken());
             AsyncAceDataPlatform asyncPlatform = new AsyncAceDataPlatform(mock.getPlatformToken());
             AsyncCredentialPages pages = asyncPlatform.credentialPages();
             WebhookVerifier verifier = new WebhookVerifier(mock.getClientId(), mock.getClientSecret())) {
            assertEquals(List.of(), mock.requests());
        }
    }

    @Test
    void akoolCallsLeaveOutBodyAndOptions(MockServer mock) throws TokensmithException {
        try (AkoolClient akool = AkoolClient.fromClientCredentials(mock.getClientId(), mock.getClientSecret(), config(mock))) {
            assertTrue(akool.request("GET", "/api/open/v3/faceswap/quota/info").contains("\"auth\":\"bearer\""));
            akool.request("POST", "/api/open/v3/faceswap/highquality/specifyimage", "{\"modifyImage\": \"x\"}");
            CallOptions tenant = new CallOptions();
            tenant.setHeaders(Map.of("x-tenant", "acme"));
            akool.request("GET", "/api/open/v3/faceswap/quota/info", null, tenant);
            List<SeenRequest> seen = mock.requests();
            assertEquals("{\"modifyImage\":\"x\"}", seen.get(2).getJson());
            assertEquals("acme", seen.get(3).getHeaders().get("x-tenant"));
        }
    }

    @Test
    void platformCallsLeaveOutFiltersAndOptions(MockServer mock) throws TokensmithException {
        try (AceDataPlatform platform = new AceDataPlatform(mock.getPlatformToken(), config(mock))) {
            assertEquals(mock.getApplicationId(), platform.getApplication(mock.getApplicationId()).getId());
            ApplicationFilter firstApplication = new ApplicationFilter();
            firstApplication.setLimit(1);
            assertEquals(1, platform.listApplications(firstApplication).getItems().size());
            assertTrue(platform.listApplications().getCount() >= 1);

            Credential plain = platform.createCredential(new NewCredential(mock.getApplicationId()));
            NewCredential named = new NewCredential(mock.getApplicationId());
            named.setName("acme");
            Credential acme = platform.createCredential(named);
            assertEquals("acme", platform.getCredential(acme.id()).name());

            CredentialChanges rename = new CredentialChanges();
            rename.setName("acme-2");
            assertEquals("acme-2", platform.updateCredential(acme.id(), rename).name());
            assertNotEquals(acme.token(), platform.rotateCredential(acme.id()).token());
            platform.deleteCredential(plain.id());

            assertEquals(1L, platform.listCredentials().getCount());
            CredentialFilter ofTheApplication = new CredentialFilter();
            ofTheApplication.setApplicationId(mock.getApplicationId());
            assertEquals(1, platform.listCredentials(ofTheApplication).getItems().size());
            try (CredentialPages pages = platform.credentialPages(ofTheApplication)) {
                assertEquals(1, pages.nextPage().size());
                assertNull(pages.nextPage());
            }
            try (CredentialPages pages = platform.credentialPages()) {
                assertEquals(acme.id(), pages.nextPage().get(0).id());
            }
        }
    }
}
