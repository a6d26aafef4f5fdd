package dev.tokensmith;

import static dev.tokensmith.Futures.authHeadersAsync;
import static dev.tokensmith.Futures.createCredentialAsync;
import static dev.tokensmith.Futures.deleteCredentialAsync;
import static dev.tokensmith.Futures.getCredentialAsync;
import static dev.tokensmith.Futures.listCredentialsAsync;
import static dev.tokensmith.Futures.requestAsync;
import static dev.tokensmith.Futures.tokenAsync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokensmith.testing.MockServer;
import dev.tokensmith.testing.TokensmithMockExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The async clients from Java: every call as a CompletableFuture, failing with the call's exception, cancellable. */
@ExtendWith(TokensmithMockExtension.class)
class JavaFuturesTest {
    private static final String QUOTA = "/api/open/v3/faceswap/quota/info";

    @Test
    void akoolCallsCompleteTheirFuturesAndShareOneTokenFetch(MockServer mock) throws Exception {
        try (AsyncAkoolClient akool = AsyncAkoolClient.fromClientCredentials(mock.getClientId(), mock.getClientSecret(), mock.config())) {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(requestAsync(akool, "GET", QUOTA));
            }
            CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            assertTrue(calls.get(0).get().contains("\"auth\":\"bearer\""), calls.get(0).get());
            assertEquals(1L, mock.counts().get("POST /api/open/v3/getToken"), "single flight across the futures");
            assertEquals(tokenAsync(akool).get(), authHeadersAsync(akool).get().get("authorization").substring("Bearer ".length()));
        }
    }

    @Test
    void aFailedCallCompletesExceptionallyWithItsException(MockServer mock) throws Exception {
        mock.arm("{\"kind\": \"akool_code\", \"code\": 1200, \"path\": \"" + QUOTA + "\"}");
        try (AsyncAkoolClient akool = AsyncAkoolClient.fromApiKey(mock.getApiKey(), mock.config())) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> requestAsync(akool, "GET", QUOTA).get());
            assertInstanceOf(TokensmithException.AccountBanned.class, failed.getCause());
            ExecutionException bad = assertThrows(ExecutionException.class, () -> requestAsync(akool, "FETCH", QUOTA).get());
            assertInstanceOf(TokensmithException.InvalidInput.class, bad.getCause());
        }
    }

    @Test
    void cancellingTheFutureAbortsTheRequest(MockServer mock) throws Exception {
        mock.arm("{\"kind\": \"delay\", \"ms\": 2000, \"times\": 1, \"path\": \"" + QUOTA + "\"}");
        try (AsyncAkoolClient akool = AsyncAkoolClient.fromApiKey(mock.getApiKey(), mock.config())) {
            CompletableFuture<String> call = requestAsync(akool, "GET", QUOTA);
            Thread.sleep(100);
            long started = System.nanoTime();
            assertTrue(call.cancel(true));
            assertThrows(CancellationException.class, call::join);
            // The aborted request's connection is dropped: the next call opens another and answers at once.
            assertTrue(requestAsync(akool, "GET", QUOTA).get(5, TimeUnit.SECONDS).contains("quota"));
            assertTrue((System.nanoTime() - started) / 1_000_000 < 1500, "the next call waited for the cancelled one");
            Thread.sleep(2100); // past the delay: a retry of the cancelled call would have arrived by now
            assertEquals(2L, mock.counts().get("GET " + QUOTA), "the cancelled call was not retried");

            // A future completed from outside (here by orTimeout) cancels its call the same way.
            mock.arm("{\"kind\": \"delay\", \"ms\": 2000, \"times\": 1, \"path\": \"" + QUOTA + "\"}");
            CompletableFuture<String> timed = requestAsync(akool, "GET", QUOTA).orTimeout(100, TimeUnit.MILLISECONDS);
            ExecutionException late = assertThrows(ExecutionException.class, () -> timed.get(5, TimeUnit.SECONDS));
            assertInstanceOf(java.util.concurrent.TimeoutException.class, late.getCause());
            Thread.sleep(2100);
            assertEquals(3L, mock.counts().get("GET " + QUOTA), "the timed-out call was not retried");
        }
    }

    @Test
    void aceDataCallsCompleteTheirFutures(MockServer mock) throws Exception {
        try (AsyncAceDataPlatform platform = new AsyncAceDataPlatform(mock.getPlatformToken(), mock.config())) {
            Credential created = createCredentialAsync(platform, new NewCredential(mock.getApplicationId())).get();
            assertEquals(created.id(), getCredentialAsync(platform, created.id()).get().id());
            assertEquals(1L, listCredentialsAsync(platform).get().getCount());
            assertNull(deleteCredentialAsync(platform, created.id()).get());
            assertEquals(0L, listCredentialsAsync(platform).get().getCount());
        }
    }
}
