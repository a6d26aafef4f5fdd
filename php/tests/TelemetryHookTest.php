<?php
// The telemetry hook (docs/observability.md, "PHP"): OpenTelemetry's PHP packages cannot be installed where the
// extension is built, so PHP programs bridge the hook to open-telemetry/api. These tests check the hook itself:
// started for each call with the operation's propagation headers sent on every attempt, finished with the report
// (attempts, retries, the token fetch, the error), a hook that throws never failing a call, and no secret in any
// report.

use PHPUnit\Framework\TestCase;
use Tokensmith\AccountBannedException;
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
}
