package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensmith.SeenRequest;
import dev.tokensmith.testing.MockServer;
import dev.tokensmith.testing.TokensmithMockExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service tested offline against tokensmith's mock, through the JUnit 5 extension in the tokensmith jar. */
@ExtendWith(TokensmithMockExtension.class)
class KeyServiceTest {
    @Test
    void aTenantGetsANamedKey(MockServer mock) {
        KeyService service = new KeyService(mock.platform(), mock.getApplicationId());
        assertTrue(service.issueKey("acme").startsWith("sk-"));
        List<SeenRequest> seen = mock.requests();
        assertEquals(1, seen.size());
        assertEquals("{\"application_id\":\"" + mock.getApplicationId() + "\",\"name\":\"acme\"}", seen.get(0).getJson());
        assertTrue(mock.credentialsJson().contains("\"name\":\"acme\""));
    }

    @Test
    void aSpentQuotaIsReportedWithTheTraceId(MockServer mock) {
        mock.arm("{\"kind\": \"status\", \"status\": 403, \"path\": \"/api/v1/credentials/\","
            + " \"body\": {\"error\": {\"code\": \"used_up\", \"message\": \"quota used up\"}, \"trace_id\": \"t-7\"}}");
        KeyService service = new KeyService(mock.platform(), mock.getApplicationId());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.issueKey("acme"));
        assertTrue(e.getMessage().contains("trace t-7"), e.getMessage());
        assertEquals("[]", mock.credentialsJson(), "nothing from the test before is held");
    }
}
