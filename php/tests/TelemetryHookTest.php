<?php
// The telemetry hook (docs/observability.md, "PHP"): OpenTelemetry's PHP packages cannot be installed where the
// extension is built, so PHP programs bridge the hook to open-telemetry/api. These tests check the hook itself:
// started for each call with the operation's propagation headers sent on every attempt, finished with the report
// (attempts, retries, the token fetch, the error), a hook that throws never failing a call, and no secret in any
// report; each credential page a call of its own; the client's `telemetry` option keeping its calls from the hook,
// or their context from the vendor.

use PHPUnit\Framework\TestCase;
use Tokensmith\AccountBannedException;
use Tokensmith\AceDataPlatform;
use Tokensmith\AkoolClient;

/** Records what tokensmith hands it; the traceparent names the call's handle as its span id. */
final class RecordingHook
{
    public array $started = [];
    public array $finished = [];

    /** @param bool $unsent whether to ask tokensmith to keep the context to itself (no `traceparent` sent) */
    public function __construct(private bool $unsent = false)
    {
    }

    public function start(string $operation): ?array
    {
        $this->started[] = $operation;
        $handle = count($this->started);
        $traceparent = sprintf('00-%032x-%016x-01', 7, $handle);
        return ['handle' => $handle, 'propagation' => ['traceparent' => $traceparent], 'unsent' => $this->unsent];
    }

    public function finish(int $handle, array $report): void
    {
        $this->finished[$handle] = $report;
    }
}

final class ThrowingHook
{
    public function start(string $operation): ?array { throw new RuntimeException('broken hook'); }
    public function finish(int $handle, array $report): void { throw new RuntimeException('broken hook'); }
}

final class TelemetryHookTest extends TestCase
{
    private const QUOTA = '/api/open/v3/faceswap/quota/info';
    private const SECRET = 'mock-api-key-0123456789abcdefghi';
    private const PLATFORM_TOKEN = 'platform-v1-mock-0123456789';
    private const APP = '107f8d0f-e465-4a7e-a49e-d633d26f7aa2';
    private const CREDENTIALS = '/api/v1/credentials/';

    protected function setUp(): void
    {
        Mock::reset();
    }

    protected function tearDown(): void
    {
        Tokensmith\set_telemetry_hook(null);
    }

    private static function options(array $more = []): array
    {
        return ['base_url' => Mock::baseUrl(), 'initial_backoff' => 0.01, 'persistent' => false] + $more;
    }

    /** The traceparent RecordingHook gives the call of this handle. */
    private static function traceparent(int $handle): string
    {
        return sprintf('00-%032x-%016x-01', 7, $handle);
    }

    /** The mock holding $count credentials (made before any hook is set); returns how many requests that took. */
    private static function credentialsOnTheMock(int $count): int
    {
        $platform = new AceDataPlatform(self::PLATFORM_TOKEN, self::options());
        for ($i = 0; $i < $count; $i++) $platform->createCredential(self::APP);
        return count(Mock::server()->requests());
    }

    /** "METHOD /path" (no query) and the traceparent of each request the mock received after the first $skip. */
    private static function sent(int $skip = 0): array
    {
        return array_map(
            fn ($r) => [$r['method'] . ' ' . explode('?', $r['path'])[0], $r['traceparent']],
            array_slice(Mock::server()->requests(), $skip),
        );
    }

    public function testEachCallIsStartedAndFinishedWithItsAttemptsAndSendsTheHooksTraceparent(): void
    {
        $hook = new RecordingHook();
        Tokensmith\set_telemetry_hook($hook);
        Mock::fault(['kind' => 'status', 'status' => 503, 'path' => self::QUOTA, 'times' => 1, 'retry_after' => '0']);
        AkoolClient::fromApiKey(self::SECRET, self::options())->request('GET', self::QUOTA);
        $this->assertSame(['akool.request'], $hook->started);
        $report = $hook->finished[1];
        $this->assertSame('akool.request', $report['operation']);
        $this->assertNull($report['error_type']);
        $this->assertCount(2, $report['attempts']);
        $this->assertSame(503, $report['attempts'][0]['attributes']['http.response.status_code']);
        $this->assertSame('status', $report['attempts'][0]['attributes']['tokensmith.retry.reason']);
        $this->assertSame(1, $report['attempts'][1]['attributes']['http.request.resend_count']);
        $this->assertSame(Mock::baseUrl() . self::QUOTA, $report['attempts'][0]['attributes']['url.full']);
        $sent = array_column(array_filter(Mock::server()->requests(), fn ($r) => $r['path'] === self::QUOTA), 'traceparent');
        $this->assertSame([sprintf('00-%032x-%016x-01', 7, 1), sprintf('00-%032x-%016x-01', 7, 1)], array_values($sent));
    }

    public function testTheTokenFetchAndAnErrorAreReportedAndNoSecretIs(): void
    {
        $hook = new RecordingHook();
        Tokensmith\set_telemetry_hook($hook);
        $akool = AkoolClient::fromClientCredentials('mock-client-id', self::SECRET, self::options());
        $akool->request('GET', self::QUOTA);
        $fetch = $hook->finished[1]['token_fetch'];
        $this->assertTrue($fetch['leader']);
        $this->assertSame('akool.get_token', $fetch['span']['name']);
        $this->assertStringEndsWith('/api/open/v3/getToken', $fetch['attempts'][0]['attributes']['url.full']);
        $this->assertFalse($hook->finished[1]['attributes']['tokensmith.token.cached']);

        Mock::fault(['kind' => 'akool_code', 'code' => 1200, 'path' => self::QUOTA]);
        try {
            $akool->request('GET', self::QUOTA);
            $this->fail('banned');
        } catch (AccountBannedException) {
        }
        $report = $hook->finished[2];
        $this->assertSame('AccountBanned', $report['error_type']);
        $this->assertSame(1200, $report['attributes']['tokensmith.akool.code']);
        $this->assertTrue($report['attributes']['tokensmith.token.cached']);
        // The conformance suite's canary as an API key, in a body and in a header: in no report.
        $canary = json_decode(file_get_contents(__DIR__ . '/../../tests/conformance/cases.json'), true)['canary'];
        Mock::fault(['kind' => 'echo_auth', 'path' => self::QUOTA]);
        try {
            AkoolClient::fromApiKey($canary, self::options(['max_retries' => 0]))
                ->request('POST', self::QUOTA, ['secret' => $canary], ['headers' => ['x-tenant' => $canary]]);
        } catch (Tokensmith\TokensmithException) {
        }
        $text = json_encode($hook->finished);
        foreach ([$canary, self::SECRET, 'Bearer '] as $secret) {
            $this->assertStringNotContainsString($secret, $text);
        }
    }

    public function testAnUnsentContextIsNotSentYetParentsTheTokenFetch(): void
    {
        $hook = new RecordingHook(unsent: true);
        Tokensmith\set_telemetry_hook($hook);
        AkoolClient::fromClientCredentials('mock-client-id', self::SECRET, self::options())->request('GET', self::QUOTA);
        $this->assertSame([null, null], array_column(Mock::server()->requests(), 'traceparent'), 'getToken, then the call');
        $this->assertTrue($hook->finished[1]['token_fetch']['leader'], 'the fetch is reported under the call');
        $this->assertCount(1, $hook->finished[1]['attempts']);
    }

    public function testAHookThatThrowsNeverFailsACall(): void
    {
        Tokensmith\set_telemetry_hook(new ThrowingHook());
        $data = AkoolClient::fromApiKey(self::SECRET, self::options())->request('GET', self::QUOTA);
        $this->assertSame('x-api-key', $data['auth']);
        $this->assertNull(Mock::server()->requests()[0]['traceparent']);
    }

    public function testATracedCallsLogRecordsCarryItsTraceAndSpanIds(): void
    {
        $hook = new RecordingHook();
        Tokensmith\set_telemetry_hook($hook);
        $records = new class {
            public array $contexts = [];
            public function log($level, $message, array $context = []): void
            {
                $this->contexts[] = ['message' => $message] + $context;
            }
        };
        Tokensmith\set_logger($records, 'debug');
        try {
            AkoolClient::fromApiKey(self::SECRET, self::options())->request('GET', self::QUOTA);
        } finally {
            Tokensmith\set_logger(null);
        }
        $traced = array_values(array_filter($records->contexts, fn ($c) => isset($c['trace_id'])));
        $this->assertNotEmpty($traced, json_encode($records->contexts));
        $this->assertSame(sprintf('%032x', 7), $traced[0]['trace_id']);
        $this->assertSame(sprintf('%016x', 1), $traced[0]['span_id']);
    }

    public function testWithoutAHookNothingIsSent(): void
    {
        AkoolClient::fromApiKey(self::SECRET, self::options())->request('GET', self::QUOTA);
        $this->assertNull(Mock::server()->requests()[0]['traceparent']);
    }

    public function testForeachTracesEachPageAsAListCredentialsCallWithItsOwnTraceparent(): void
    {
        $made = self::credentialsOnTheMock(3);
        $hook = new RecordingHook();
        Tokensmith\set_telemetry_hook($hook);
        $ids = [];
        foreach ((new AceDataPlatform(self::PLATFORM_TOKEN, self::options()))->iterCredentials(['limit' => 2]) as $credential) {
            $ids[] = $credential->id;
        }
        $this->assertCount(3, $ids);
        $this->assertSame(['acedata.list_credentials', 'acedata.list_credentials'], $hook->started, 'one call per page, none for the end');
        $this->assertSame([1, 2], array_keys($hook->finished));
        $this->assertSame(['acedata.list_credentials', 'acedata.list_credentials'], array_column($hook->finished, 'operation'));
        $this->assertSame([1, 1], array_map(fn ($report) => count($report['attempts']), array_values($hook->finished)));
        $this->assertSame(Mock::baseUrl() . self::CREDENTIALS, $hook->finished[2]['attempts'][0]['attributes']['url.full'], 'no query');
        $this->assertSame(
            [['GET ' . self::CREDENTIALS, self::traceparent(1)], ['GET ' . self::CREDENTIALS, self::traceparent(2)]],
            self::sent($made),
            'each page sends its own call\'s context',
        );
    }

    public function testAClientWithTelemetryOffNeverStartsTheHookNorSendsATraceparent(): void
    {
        $made = self::credentialsOnTheMock(3);
        $hook = new RecordingHook();
        Tokensmith\set_telemetry_hook($hook);
        $off = self::options(['telemetry' => 'off']);
        AkoolClient::fromClientCredentials('mock-client-id', self::SECRET, $off)->request('GET', self::QUOTA);
        $this->assertSame(3, iterator_count((new AceDataPlatform(self::PLATFORM_TOKEN, $off))->iterCredentials(['limit' => 2])));
        $this->assertSame([], $hook->started, 'neither the call nor a page');
        $this->assertSame([], $hook->finished);
        $this->assertSame(
            [
                ['POST /api/open/v3/getToken', null],
                ['GET ' . self::QUOTA, null],
                ['GET ' . self::CREDENTIALS, null],
                ['GET ' . self::CREDENTIALS, null],
            ],
            self::sent($made),
        );

        // A client with the default option is traced by the same hook: the option did it.
        AkoolClient::fromApiKey(self::SECRET, self::options())->request('GET', self::QUOTA);
        $this->assertSame(['akool.request'], $hook->started);
        $this->assertSame(self::traceparent(1), array_slice(Mock::server()->requests(), -1)[0]['traceparent']);
    }

    public function testAClientWithTelemetryNoPropagationIsTracedButSendsNoTraceparent(): void
    {
        $hook = new RecordingHook();
        Tokensmith\set_telemetry_hook($hook);
        $options = self::options(['telemetry' => 'no_propagation']);
        AkoolClient::fromClientCredentials('mock-client-id', self::SECRET, $options)->request('GET', self::QUOTA);
        (new AceDataPlatform(self::PLATFORM_TOKEN, $options))->listCredentials();
        $this->assertSame(['akool.request', 'acedata.list_credentials'], $hook->started);
        $this->assertSame(['akool.request', 'acedata.list_credentials'], array_column($hook->finished, 'operation'));
        $this->assertTrue($hook->finished[1]['token_fetch']['leader'], 'the fetch is still reported under the call');
        $this->assertSame(
            [['POST /api/open/v3/getToken', null], ['GET ' . self::QUOTA, null], ['GET ' . self::CREDENTIALS, null]],
            self::sent(),
        );
        $this->assertSame([null, null, null], array_column(Mock::server()->requests(), 'tracestate'));
    }
}
