<?php

// Stubs for tokensmith

namespace Tokensmith {
    /**
     * A failure of kind `AccountBanned` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class AccountBannedException extends \Tokensmith\ApiException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A client of the AceData Cloud platform API; the same client in every request of a worker for equal
     * tokens and options, among the worker's `tokensmith.max_clients` most recently used clients (see
     * `AkoolClient`), unless `'persistent' => false`. Takes the options of `AkoolClient`.
     *
     * Every method takes the per-call options `timeout` (seconds), `headers` (auth headers cannot be overridden)
     * and `max_retries` in its last array.
     */
    class AceDataPlatform {
        /**
         * A client with this platform token.
         *
         * @param string $platform_token
         * @param array|null $options
         */
        public function __construct(string $platform_token, ?array $options = null) {}

        /**
         * What `var_dump` and `print_r` show: the client with its token redacted.
         *
         * @return array
         */
        public function __debugInfo(): array {}

        /**
         * Creates a credential. Never retried once sent, so it is never created twice.
         *
         * @param string $application_id
         * @param array{host?:string,limited_amount?:int|float,expired_at?:string,name?:string,allowed_api_ids?:list<string>,metadata?:array,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null $options
         * @return \Tokensmith\Credential
         */
        public function createCredential(string $application_id, ?array $options = null): \Tokensmith\Credential {}

        /**
         * Deletes a credential.
         *
         * @param string $id
         * @param array|null $options
         * @return void
         */
        public function deleteCredential(string $id, ?array $options = null): void {}

        /**
         * From `ACEDATA_PLATFORM_TOKEN`; `ACEDATA_PLATFORM_BASE_URL` overrides the base. Read on every call.
         *
         * @param array|null $options
         * @return \Tokensmith\AceDataPlatform
         */
        public static function fromEnv(?array $options = null): \Tokensmith\AceDataPlatform {}

        /**
         * One application by id, as an array.
         *
         * @param string $id
         * @param array|null $options
         * @return array
         */
        public function getApplication(string $id, ?array $options = null): array {}

        /**
         * One credential by id.
         *
         * @param string $id
         * @param array|null $options
         * @return \Tokensmith\Credential
         */
        public function getCredential(string $id, ?array $options = null): \Tokensmith\Credential {}

        /**
         * Every matching credential, for `foreach`: pages are fetched as the loop needs them (`limit` is the page
         * size).
         *
         * @param array{application_id?:string,host?:string,limit?:int,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null $filter
         * @return \Tokensmith\CredentialIterator
         */
        public function iterCredentials(?array $filter = null): \Tokensmith\CredentialIterator {}

        /**
         * One page of your applications: `['count' => int, 'items' => array[]]`, each application an array
         * (`id`, `user_id`, `service_id`, `type`, `scope`, `remaining_amount`, `used_amount`, `created_at`,
         * `updated_at`); their ids are what credentials are created for.
         *
         * @param array{limit?:int,offset?:int,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null $options
         * @return array
         */
        public function listApplications(?array $options = null): array {}

        /**
         * One page of credentials: `['count' => int, 'items' => Credential[]]`.
         *
         * @param array{application_id?:string,host?:string,limit?:int,offset?:int,timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null $filter
         * @return array
         */
        public function listCredentials(?array $filter = null): array {}

        /**
         * A new token for the same credential; the old one stops working at once. Never retried once sent.
         *
         * @param string $id
         * @param array|null $options
         * @return \Tokensmith\Credential
         */
        public function rotateCredential(string $id, ?array $options = null): \Tokensmith\Credential {}

        /**
         * Changes a credential; `null` clears the limit or the expiry, a missing key keeps it.
         *
         * @param string $id
         * @param array{name?:string,limited_amount?:int|float|null,expired_at?:string|null,allowed_api_ids?:list<string>} $changes
         * @param array|null $options
         * @return \Tokensmith\Credential
         */
        public function updateCredential(string $id, array $changes, ?array $options = null): \Tokensmith\Credential {}
    }

    /**
     * A client of the Akool OpenAPI. Built with the same credentials and options, it is the same client in every
     * request of a PHP worker: one token fetch per tenant and worker, not per page view. Building one costs a few
     * microseconds and clients with the same timeouts and certificates share the worker's connections, so a client
     * per request, or per tenant, is the fast path.
     *
     * The worker keeps its `tokensmith.max_clients` most recently used clients (php.ini or `php -d`, or a PHP-FPM
     * pool's `php_admin_value[tokensmith.max_clients]`; not changeable by `ini_set`): default 1000, about 1 KiB
     * each; 0 keeps none. One pushed out is dropped (its secrets zeroized) and built again when next asked for.
     *
     * Options (all optional): `base_url` (https, or http to loopback), `connect_timeout` and `request_timeout`
     * (seconds), `max_retries`, `initial_backoff` (seconds), `pool_idle_timeout` (seconds an unused connection is
     * kept; default 90), `user_agent_suffix` (after `php` in the User-Agent), `root_certificates` (PEM strings): the
     * core's client settings. An unknown key or a value of the wrong type throws `InvalidInputException` naming it.
     * `persistent` (default true): false builds a client of its own, which the worker does not keep.
     */
    class AkoolClient {
        public function __construct() {}

        /**
         * What `var_dump` and `print_r` show: the client with its credentials redacted.
         *
         * @return array
         */
        public function __debugInfo(): array {}

        /**
         * The auth header(s) for `new GuzzleHttp\Client(['headers' => ...])`, by name.
         *
         * @return array
         */
        public function authHeaders(): array {}

        /**
         * Method 1 (recommended): every request carries `x-api-key`.
         *
         * @param string $api_key
         * @param array|null $options
         * @return \Tokensmith\AkoolClient
         */
        public static function fromApiKey(string $api_key, ?array $options = null): \Tokensmith\AkoolClient {}

        /**
         * Method 2: a bearer token is fetched with the client id and secret once per worker, while it keeps the
         * client.
         *
         * @param string $client_id
         * @param string $client_secret
         * @param array|null $options
         * @return \Tokensmith\AkoolClient
         */
        public static function fromClientCredentials(string $client_id, string $client_secret, ?array $options = null): \Tokensmith\AkoolClient {}

        /**
         * From `AKOOL_API_KEY`, else `AKOOL_CLIENT_ID` + `AKOOL_CLIENT_SECRET`; `AKOOL_BASE_URL` overrides the base.
         * Read on every call: changed variables give another client.
         *
         * @param array|null $options
         * @return \Tokensmith\AkoolClient
         */
        public static function fromEnv(?array $options = null): \Tokensmith\AkoolClient {}

        /**
         * Forgets `$stale`, a token Akool refused (1101) on a call made with Guzzle; the next `authHeaders()` fetches
         * a new one (once, however many report it).
         *
         * @param string $stale
         * @return void
         */
        public function invalidateToken(string $stale): void {}

        /**
         * An authenticated call; returns the answer's `data`, decoded (objects as arrays). Any code but 1000 throws.
         *
         * @param string $method
         * @param string $path
         * @param mixed $body sent as JSON; `null` sends none
         * @param array{timeout?:int|float,headers?:array<string,string>,max_retries?:int}|null $options this call's
         * @return mixed
         */
        public function request(string $method, string $path, mixed $body = null, ?array $options = null): mixed {}

        /**
         * The bearer token (method 2). A secret: do not log it.
         *
         * @return string
         */
        public function token(): string {}
    }

    /**
     * A failure of kind `Api` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class ApiException extends \Tokensmith\TokensmithException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `Authentication` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class AuthenticationException extends \Tokensmith\ApiException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `Billing` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class BillingException extends \Tokensmith\ApiException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A credential. Its fields read as properties (snake_case, as the platform names them); `token` and `password`
     * are secrets, which `var_dump`, `print_r`, `var_export` and `json_encode` never show.
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
    class Credential {
        public function __construct() {}

        /**
         * What `var_dump` and `print_r` show: the credential without its secrets.
         *
         * @return array
         */
        public function __debugInfo(): array {}

        /**
         * A field by name; `token` and `password` are secrets.
         *
         * @param string $name
         * @return mixed
         */
        public function __get(string $name): mixed {}

        /**
         * Whether a field is set (`isset($credential->token)`).
         *
         * @param string $name
         * @return bool
         */
        public function __isset(string $name): bool {}

        /**
         * `(string) $credential`: its id and kind, no secret.
         *
         * @return string
         */
        public function __toString(): string {}
    }

    /**
     * Credentials, page after page; made by `AceDataPlatform::iterCredentials()`.
     */
    class CredentialIterator implements \Iterator {
        public function __construct() {}

        /**
         * The current credential.
         *
         * @return \Tokensmith\Credential|null
         */
        public function current(): ?\Tokensmith\Credential {}

        /**
         * The position of the current credential, from 0.
         *
         * @return int
         */
        public function key(): int {}

        /**
         * Moves to the next credential, fetching the next page when this one is done.
         *
         * @return void
         */
        public function next(): void {}

        /**
         * Starts from the first page.
         *
         * @return void
         */
        public function rewind(): void {}

        /**
         * Whether there is a current credential.
         *
         * @return bool
         */
        public function valid(): bool {}
    }

    /**
     * A failure of kind `Decode` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class DecodeException extends \Tokensmith\TokensmithException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `InvalidInput` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class InvalidInputException extends \Tokensmith\TokensmithException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `InvalidRequest` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class InvalidRequestException extends \Tokensmith\ApiException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `MissingConfig` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class MissingConfigException extends \Tokensmith\TokensmithException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `NotFound` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class NotFoundException extends \Tokensmith\ApiException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `RateLimited` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class RateLimitedException extends \Tokensmith\ApiException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `Timeout` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class RequestTimeoutException extends \Tokensmith\TransportException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `Server` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class ServerException extends \Tokensmith\ApiException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * Every failure of tokensmith: a `\RuntimeException`, with one subclass per kind of error
     * (`Tokensmith\error_kinds()`; the vendor's refusals under `ApiException`, a timeout under
     * `TransportException`). `getCode()` is the Akool business code, else the HTTP status, else 0.
     * The message is the core's and never holds a secret; the trace holds no arguments.
     */
    class TokensmithException extends \RuntimeException {
        /**
         * @var string|null the option or argument an input error names
         */
        public $field = null;

        /**
         * @var string the kind (`Authentication`, `RateLimited`, ...; `Tokensmith\error_kinds()` lists them)
         */
        public $kind = null;

        /**
         * @var string|null why a webhook was refused (`MalformedBody`, `BadSignature`, ...)
         */
        public $reason = null;

        /**
         * @var float|null seconds a rate-limited answer asked you to wait
         */
        public $retryAfter = null;

        /**
         * @var int|null the HTTP status of the answer
         */
        public $status = null;

        /**
         * @var string|null the vendor's id for the failed request (AceData's `trace_id`)
         */
        public $traceId = null;

        /**
         * @var int|string|null the Akool business code or the AceData error code
         */
        public $vendorCode = null;

        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `Transport` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class TransportException extends \Tokensmith\TokensmithException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `Unsupported` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class UnsupportedException extends \Tokensmith\TokensmithException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * A failure of kind `WebhookRejected` (`$e->kind`); docs/errors.md says when each kind is thrown.
     */
    class WebhookRejectedException extends \Tokensmith\TokensmithException {
        /**
         * An exception made in PHP code, e.g. a test's stand-in for a failure (its properties are null until
         * set). Unlike the ones tokensmith throws, it records no file, line or trace.
         *
         * @param string $message
         * @param int $code
         * @param \Throwable|null $previous
         */
        public function __construct(string $message = "", int $code = 0, ?\Throwable $previous = null) {}
    }

    /**
     * Checks and decrypts Akool webhooks with the client id and secret.
     */
    class WebhookVerifier {
        /**
         * A verifier; `['tolerance_seconds' => n]` refuses timestamps further than that from now.
         *
         * @param string $client_id
         * @param string $client_secret
         * @param array{tolerance_seconds?:int}|null $options
         */
        public function __construct(string $client_id, string $client_secret, ?array $options = null) {}

        /**
         * What `var_dump` and `print_r` show: the verifier with its secret redacted.
         *
         * @return array
         */
        public function __debugInfo(): array {}

        /**
         * The event of a raw body, `['id' => ?string, 'status' => ?int, 'timestamp_ms' => int, 'nonce' => string,
         * 'payload' => array]`, or a `Tokensmith\WebhookRejectedException` with its `reason`; with `$expected_id`,
         * the payload's `_id` must be it.
         *
         * @param string $body
         * @param string|null $expected_id
         * @return mixed
         */
        public function verify(string $body, ?string $expected_id = null): mixed {}
    }

    /**
     * The core's version, to check that PHP loaded the extension it was built with.
     *
     * @return string
     */
    function core_version(): string {}

    /**
     * The names of every error kind, in the core's order; each has a `Tokensmith\<Kind>Exception`
     * (`Timeout`: `RequestTimeoutException`).
     *
     * @return array
     */
    function error_kinds(): array {}

    /**
     * Whether an Akool answer's body says the token was refused as invalid or expired (`code` 1101).
     *
     * @param string $body
     * @return bool
     */
    function is_token_expired(string $body): bool {}

    /**
     * Sends tokensmith's log records (requests, retries, token fetches; never a secret) up to `$level` (`error`,
     * `warn`, `info`, `debug` (the default), `trace`) to `$logger`, a PSR-3 logger, for the rest of this request;
     * `null` stops them. Records are handed over when the call that wrote them returns.
     *
     * @param ?object $logger a PSR-3 `Psr\Log\LoggerInterface` (any object with its `log` method)
     * @param string|null $level
     * @return void
     */
    function set_logger(?object $logger = null, ?string $level = null): void {}

    /**
     * Traces every call through `$hook` for the rest of this request, or stops with null (docs/observability.md):
     * `$hook->start(string $operation): ?array` on the call's start returns `['handle' => int, 'propagation' =>
     * array<string, string>]` (the operation span's `traceparent`/`tracestate`, sent on every attempt) or null;
     * `$hook->finish(int $handle, array $report): void` gets what the call did (its attempts, retries, token fetch,
     * error). What the hook throws is dropped; it must not call tokensmith.
     *
     * @param ?object $hook an object with `start` and `finish` methods
     * @return void
     */
    function set_telemetry_hook(?object $hook = null): void {}
}

namespace Tokensmith\Testing {
    /**
     * The mock Akool and AceData APIs in this PHP process, on a free loopback port, for testing your own code
     * offline: start one in `setUpBeforeClass()`, `reset()` it in `setUp()`. Stopped when destroyed
     * (docs/testing.md).
     */
    class MockServer {
        /**
         * Starts a mock on a free loopback port.
         */
        public function __construct() {}

        /**
         * Adds an Akool account besides the demo one (`$client_secret` is also its API key), for tests of many
         * tenants; each call's answer names the `client_id` it authenticated as. Forgotten by `reset()`.
         *
         * @param string $client_id
         * @param string $client_secret
         * @return void
         */
        public function addTenant(string $client_id, string $client_secret): void {}

        /**
         * An Akool client of the mock with client credentials (method 2), not shared with other requests.
         *
         * @return \Tokensmith\AkoolClient
         */
        public function akool(): \Tokensmith\AkoolClient {}

        /**
         * Arms a fault (docs/mock.md): `['kind' => 'status', 'status' => 503, 'times' => 2]`.
         *
         * @param mixed $rule
         * @return void
         */
        public function arm(mixed $rule): void {}

        /**
         * Both APIs' base URL, e.g. `http://127.0.0.1:41234`: pass it as `'base_url'`.
         *
         * @return string
         */
        public function baseUrl(): string {}

        /**
         * How many TCP connections the mock's API origin accepted since the last reset: clients that share a
         * connection pool open one and reuse it.
         *
         * @return int
         */
        public function connectionCount(): int {}

        /**
         * How many requests arrived, by `'METHOD /path'`.
         *
         * @return mixed
         */
        public function counts(): mixed {}

        /**
         * The AceData credentials the mock holds, as the platform returns them.
         *
         * @return mixed
         */
        public function credentials(): mixed {}

        /**
         * The credentials and ids the mock accepts: `api_key`, `client_id`, `client_secret`, `platform_token`,
         * `application_id`, `proxy_application_id`.
         *
         * @return mixed
         */
        public function demo(): mixed {}

        /**
         * Expires every Akool token issued so far: the next call with one is answered 1101.
         *
         * @return void
         */
        public function expireTokens(): void {}

        /**
         * An AceData client of the mock, not shared with other requests.
         *
         * @return \Tokensmith\AceDataPlatform
         */
        public function platform(): \Tokensmith\AceDataPlatform {}

        /**
         * The requests seen since the last reset, oldest first, each `['method' => string, 'path' => string,
         * 'headers' => array<string, string>, 'json' => mixed]`; credentials redacted unless `$reveal`.
         *
         * @param bool|null $reveal
         * @return mixed
         */
        public function requests(?bool $reveal = null): mixed {}

        /**
         * Forgets requests, counts, connections, tokens, tenants, credentials, faults and the idle close.
         *
         * @return void
         */
        public function reset(): void {}

        /**
         * Restarts the mock on the same port, as a server process restarting would: every open connection is closed
         * (a request in flight gets no answer) and a new listener is bound; tenants, tokens, credentials, counts and
         * faults are kept. Returns once the new listener accepts.
         *
         * @return void
         */
        public function restart(): void {}

        /**
         * Posts an Akool webhook of `$payload` to `$url` (loopback http), signed and encrypted with the demo client
         * id and secret as Akool does: the status the receiver answered.
         *
         * @param string $url
         * @param mixed $payload
         * @return int
         */
        public function sendWebhook(string $url, mixed $payload): int {}

        /**
         * Closes a keep-alive connection of the mock once it has had no request in flight for `$ms` milliseconds, as
         * servers do (nginx's `keepalive_timeout`): with a FIN, and no `Connection: close` on the answer before. A
         * connection that has not answered yet is left open; open connections follow a change at once. `null` (the
         * default) turns it off, as `reset()` does.
         *
         * @param int|null $ms
         * @return void
         */
        public function setIdleClose(?int $ms = null): void {}

        /**
         * How many tokens Akool's getToken issued.
         *
         * @return int
         */
        public function tokenCount(): int {}
    }
}
