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
        NewCredential key = new NewCredential(applicationId, null, null, null, tenant, null, null);
        try {
            // A slow platform should not hold a request thread for the client's 60 s default.
            Credential credential = platform.createCredential(key, new CallOptions(10_000L, null, null));
            return credential.token();
        } catch (TokensmithException e) {
            throw new IllegalStateException("AceData refused the key for " + tenant + " (trace "
                + e.details().getTraceId() + "): " + e.getMessage(), e);
        }
    }
}
