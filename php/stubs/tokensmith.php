<?php
// IDE and static-analysis stubs of the `tokensmith` extension (bindings/php). Never loaded at run time: the
// extension defines these classes. tests/StubsTest.php checks that every class and method here exists in the
// extension, and that every method the extension exports is here.

namespace Tokensmith {

    /** The core's version. */
    function core_version(): string {}

    /** Whether an Akool answer's body says the token was refused as invalid or expired (code 1101). */
    function is_token_expired(string $body): bool {}

    /** The names of every error kind; each has a `Tokensmith\<Kind>Exception` (`Timeout`: RequestTimeoutException). */
    function error_kinds(): array {}

    /**
     * Sends tokensmith's log records (requests, retries, token fetches; never a secret) up to `$level` (`error`,
     * `warn`, `info`, `debug`, `trace`) to a PSR-3 logger, for the rest of this request; `null` stops them.
     * Records are handed over when the call that wrote them returns.
     */
    function set_logger(?object $logger, ?string $level = null): void {}

    /**
     * A client of the Akool OpenAPI. Built with the same credentials and options, it is the same client in every
     * request of a PHP worker: one token fetch per tenant and worker, not per page view. Building one costs a few
     * microseconds and clients with the same timeouts and certificates share the worker's connections, so a
     * client per request, or per tenant, is the fast path.
     *
     * The worker keeps its `tokensmith.max_clients` most recently used clients (php.ini or `php -d`, or a PHP-FPM
     * pool's `php_admin_value[tokensmith.max_clients]`; not changeable by `ini_set`): default 1000, about 1 KiB
     * each; 0 keeps none. One pushed out is dropped (its secrets zeroized) and built again when next asked for.
     *
     * Options (all optional): `base_url` (https, or http to loopback), `connect_timeout` and `request_timeout`
     * (seconds), `max_retries`, `initial_backoff` (seconds), `root_certificates` (PEM strings). An unknown key or
     * a value of the wrong type throws InvalidInputException naming it. `persistent` (default true): false builds
     * a client of its own, which the worker does not keep.
     */
    final class AkoolClient
    {
        /** Not constructible: use a `from*` method. Throws. */
        public function __construct() {}

        /** Method 1 (recommended): every request carries `x-api-key`. */
        public static function fromApiKey(string $api_key, ?array $options = null): AkoolClient {}

        /** Method 2: a bearer token is fetched with the client id and secret once per worker, while it keeps the client. */
        public static function fromClientCredentials(string $client_id, string $client_secret, ?array $options = null): AkoolClient {}

        /**
         * From AKOOL_API_KEY, else AKOOL_CLIENT_ID + AKOOL_CLIENT_SECRET; AKOOL_BASE_URL overrides the base. Read on
         * every call: changed variables give another client.
         */
        public static function fromEnv(?array $options = null): AkoolClient {}

        /** The bearer token (method 2). A secret: do not log it. */
        public function token(): string {}

        /** @return array<string, string> the auth header(s), for `new GuzzleHttp\Client(['headers' => ...])` */
        public function authHeaders(): array {}

        /**
         * An authenticated call; returns the answer's `data`, decoded (objects as arrays). Any code but 1000 throws.
         * @param array{timeout?: int|float, headers?: array<string, string>, max_retries?: int} $options for this call only
         */
        public function request(string $method, string $path, mixed $body = null, ?array $options = null): mixed {}

        /** Forgets `$stale`, a token Akool refused (1101) on a call made with Guzzle; a burst causes one fetch. */
        public function invalidateToken(string $stale): void {}

        public function __debugInfo(): array {}
    }

    /**
     * A client of the AceData Cloud platform API; the same client in every request of a worker for equal tokens
     * and options, kept like AkoolClient's (`tokensmith.max_clients`, `persistent`). Takes the options of
     * AkoolClient.
     */
    final class AceDataPlatform
    {
        public function __construct(string $platform_token, ?array $options = null) {}

        /** From ACEDATA_PLATFORM_TOKEN; ACEDATA_PLATFORM_BASE_URL overrides the base. Read on every call. */
        public static function fromEnv(?array $options = null): AceDataPlatform {}

        // Every method takes the per-call options `timeout` (seconds), `headers` (auth headers cannot be
        // overridden) and `max_retries` in its last array.

        /**
         * Creates a credential. Never retried once sent, so it is never created twice.
         * @param array{host?: string, limited_amount?: int|float, expired_at?: string, name?: string, allowed_api_ids?: list<string>, metadata?: array, timeout?: int|float, headers?: array<string, string>, max_retries?: int} $options
         */
        public function createCredential(string $application_id, ?array $options = null): Credential {}

        /**
         * @param array{application_id?: string, host?: string, limit?: int, offset?: int, timeout?: int|float, headers?: array<string, string>, max_retries?: int} $filter
         * @return array{count: int, items: list<Credential>}
         */
        public function listCredentials(?array $filter = null): array {}

        /**
         * Every matching credential for `foreach`, page after page as the loop needs them (`limit`: page size).
         * @param array{application_id?: string, host?: string, limit?: int, timeout?: int|float, headers?: array<string, string>, max_retries?: int} $filter
         */
        public function iterCredentials(?array $filter = null): CredentialIterator {}

        public function getCredential(string $id, ?array $options = null): Credential {}

        /**
         * `null` clears the limit or the expiry; a missing key keeps it.
         * @param array{name?: string, limited_amount?: int|float|null, expired_at?: string|null, allowed_api_ids?: list<string>} $changes
         */
        public function updateCredential(string $id, array $changes, ?array $options = null): Credential {}

        /** A new token for the same credential; the old one stops working at once. Never retried once sent. */
        public function rotateCredential(string $id, ?array $options = null): Credential {}

        public function deleteCredential(string $id, ?array $options = null): void {}

        /**
         * One page of your applications; their ids are what credentials are created for.
         * @param array{limit?: int, offset?: int, timeout?: int|float, headers?: array<string, string>, max_retries?: int} $options
         * @return array{count: int, items: list<array{id: string, user_id: ?string, service_id: ?string, type: ?string, scope: ?string, remaining_amount: ?float, used_amount: ?float, created_at: ?string, updated_at: ?string}>}
         */
        public function listApplications(?array $options = null): array {}

        /** One application, as listApplications gives them. */
        public function getApplication(string $id, ?array $options = null): array {}

        public function __debugInfo(): array {}
    }

    /**
     * A credential. Its fields read as properties; `token` and `password` are secrets, which `var_dump`,
     * `print_r`, `var_export` and `json_encode` never show.
     *
     * @property-read string $id
     * @property-read string|null $user_id
     * @property-read string $application_id
     * @property-read string $type `Token` or `Identity`
     * @property-read string|null $token
     * @property-read string|null $username
     * @property-read string|null $password
     * @property-read string|null $host
     * @property-read float|null $limited_amount
     * @property-read float|null $used_amount
     * @property-read string|null $expired_at
     * @property-read string|null $created_at
     * @property-read string|null $updated_at
     * @property-read string|null $name
     */
    final class Credential
    {
        /** Not constructible: the platform's calls return credentials. Throws. */
        public function __construct() {}

        public function __get(string $name): mixed {}

        public function __isset(string $name): bool {}

        public function __debugInfo(): array {}

        public function __toString(): string {}
    }

    /** Checks and decrypts Akool webhooks with the client id and secret (no I/O). */
    /** Credentials page after page, for `foreach` (made by AceDataPlatform::iterCredentials). */
    final class CredentialIterator implements \Iterator
    {
        /** Not for PHP code: made by AceDataPlatform::iterCredentials. */
        public function __construct() {}
        public function rewind(): void {}
        public function valid(): bool {}
        public function current(): ?Credential {}
        public function key(): int {}
        public function next(): void {}
    }

    final class WebhookVerifier
    {
        /** @param array{tolerance_seconds?: int} $options */
        public function __construct(string $client_id, string $client_secret, ?array $options = null) {}

        /**
         * @return array{id: ?string, status: ?int, timestamp_ms: int, nonce: string, payload: array}
         * @throws WebhookRejectedException with its `reason`
         */
        public function verify(string $body, ?string $expected_id = null): array {}

        public function __debugInfo(): array {}
    }

    /**
     * Every failure of tokensmith. `getCode()` is the Akool business code, else the HTTP status, else 0.
     * The message is the core's and never holds a secret; the trace holds no arguments.
     */
    class TokensmithException extends \RuntimeException
    {
        /** @var string the kind (`Authentication`, `RateLimited`, ...) */
        public $kind = null;
        /** @var int|null the HTTP status of the answer */
        public $status = null;
        /** @var int|string|null the Akool business code or the AceData error code */
        public $vendorCode = null;
        /** @var string|null the option or argument an input error names */
        public $field = null;
        /** @var float|null seconds a rate-limited answer asked you to wait */
        public $retryAfter = null;
        /** @var string|null why a webhook was refused */
        public $reason = null;
        /** @var string|null the vendor's id for the failed request (AceData's trace_id) */
        public $traceId = null;
    }

    class InvalidInputException extends TokensmithException {}
    class MissingConfigException extends TokensmithException {}
    class UnsupportedException extends TokensmithException {}
    class ApiException extends TokensmithException {}
    class AuthenticationException extends ApiException {}
    class AccountBannedException extends ApiException {}
    class RateLimitedException extends ApiException {}
    class BillingException extends ApiException {}
    class InvalidRequestException extends ApiException {}
    class NotFoundException extends ApiException {}
    class ServerException extends ApiException {}
    class TransportException extends TokensmithException {}
    class RequestTimeoutException extends TransportException {}
    class WebhookRejectedException extends TokensmithException {}
    class DecodeException extends TokensmithException {}
}

namespace Tokensmith\Testing {
    use Tokensmith\AceDataPlatform;
    use Tokensmith\AkoolClient;

    /**
     * The mock Akool and AceData APIs in this PHP process, on a free loopback port, for testing your own code
     * offline: start one in setUpBeforeClass(), reset() it in setUp(). Stopped when destroyed. docs/testing.md.
     */
    final class MockServer
    {
        public function __construct() {}

        /** Both APIs' base URL: pass it as 'base_url'. */
        public function baseUrl(): string {}

        /** @return array{api_key: string, client_id: string, client_secret: string, platform_token: string, application_id: string, proxy_application_id: string} */
        public function demo(): mixed {}

        /** Arms a fault (docs/mock.md): ['kind' => 'status', 'status' => 503, 'times' => 2]. */
        public function arm(mixed $rule): void {}

        /** @return list<array{method: string, path: string, headers: array<string, string>, json: mixed}> credentials redacted unless $reveal */
        public function requests(?bool $reveal = null): mixed {}

        /** @return array<string, int> by 'METHOD /path' */
        public function counts(): mixed {}

        public function tokenCount(): int {}

        /** TCP connections the mock's API origin accepted since the last reset: clients that share a pool reuse one. */
        public function connectionCount(): int {}

        /** Adds an Akool account besides the demo one ($client_secret is also its API key); forgotten by reset(). */
        public function addTenant(string $client_id, string $client_secret): void {}

        /** @return list<array> the AceData credentials held */
        public function credentials(): mixed {}

        public function expireTokens(): void {}

        public function reset(): void {}

        /** Posts a signed Akool webhook of $payload to $url (loopback http): the status it answered. */
        public function sendWebhook(string $url, mixed $payload): int {}

        /** An Akool client of the mock (client credentials), not shared with other requests. */
        public function akool(): AkoolClient {}

        /** An AceData client of the mock, not shared with other requests. */
        public function platform(): AceDataPlatform {}
    }
}
