package example;

import dev.tokensmith.AceDataPlatform;
import dev.tokensmith.CallOptions;
import dev.tokensmith.Credential;
import dev.tokensmith.NewCredential;
import dev.tokensmith.TokensmithException;

/** A user's service: one AceData API key per tenant, named after it. */
public final class KeyService {
    private final AceDataPlatform platform;
    private final String applicationId;

    public KeyService(AceDataPlatform platform, String applicationId) {
        this.platform = platform;
        this.applicationId = applicationId;
    }

    /** The new key's token; fails with the vendor's trace id in the message when AceData refuses. */
    public String issueKey(String tenant) {
        NewCredential key = new NewCredential(applicationId);
        key.setName(tenant);
        // A slow platform should not hold a request thread for the client's 60 s default.
        CallOptions tenSeconds = new CallOptions();
        tenSeconds.setTimeoutMs(10_000L);
        try {
            Credential credential = platform.createCredential(key, tenSeconds);
            return credential.token();
        } catch (TokensmithException e) {
            throw new IllegalStateException("AceData refused the key for " + tenant + " (trace "
                + e.details().getTraceId() + "): " + e.getMessage(), e);
        }
    }
}
