<?php
// Logs into a PSR-3 logger, per-call options, applications and foreach over every credential, as PHP users
// call them.

use PHPUnit\Framework\TestCase;
use Tokensmith\AceDataPlatform;
use Tokensmith\AkoolClient;
use Tokensmith\CredentialIterator;
use Tokensmith\InvalidInputException;
use Tokensmith\ServerException;

/** A PSR-3 logger that keeps what it is given (the interface's one method that matters). */
final class KeepingLogger
{
    public array $lines = [];

    public function log($level, $message, array $context = []): void
    {
        $this->lines[] = "$level {$context['target']} $message";
    }
}

final class LoggingAndPagingTest extends TestCase
{
    private const SECRET = 'mock-api-key-0123456789abcdefghi';
    private const APP = '107f8d0f-e465-4a7e-a49e-d633d26f7aa2';

    protected function setUp(): void
    {
        Mock::reset();
    }

    protected function tearDown(): void
    {
        Tokensmith\set_logger(null);
    }

    private static function options(): array
    {
        return ['base_url' => Mock::baseUrl(), 'initial_backoff' => 0.01, 'persistent' => false];
    }

    public function testRecordsReachAPsr3LoggerAtTheMostVerboseLevelWithoutSecrets(): void
    {
        $logger = new KeepingLogger();
        Tokensmith\set_logger($logger, 'trace');
        $akool = AkoolClient::fromClientCredentials('mock-client-id', self::SECRET, self::options());
        $akool->request('GET', '/api/open/v3/faceswap/quota/info');
        $token = $akool->token();
        $text = implode("\n", $logger->lines);
        $this->assertStringContainsString('debug tokensmith::transport POST /api/open/v3/getToken -> 200', $text);
        $this->assertStringContainsString('GET /api/open/v3/faceswap/quota/info -> 200', $text);
        $this->assertStringNotContainsString(self::SECRET, $text);
        $this->assertStringNotContainsString($token, $text);

        Tokensmith\set_logger($logger, 'warn');
        $logger->lines = [];
        $akool->request('GET', '/api/open/v3/faceswap/quota/info');
        $this->assertSame([], $logger->lines, 'debug records are below warn');
        $this->expectException(InvalidInputException::class);
        Tokensmith\set_logger($logger, 'loud');
    }

    public function testALoggerThatThrowsLosesItsRecordsOnly(): void
    {
        $logger = new class {
            public int $calls = 0;

            public function log($level, $message, array $context = []): void
            {
                $this->calls++;
                throw new RuntimeException('logger down');
            }
        };
        Tokensmith\set_logger($logger, 'debug');
        $platform = new AceDataPlatform('platform-v1-mock-0123456789', self::options());
        $this->assertSame(0, $platform->listCredentials()['count'], 'the call returns its own answer');
        $this->assertGreaterThan(0, $logger->calls);
    }

    public function testPerCallOptionsReachOneCallAndCannotOverrideAuth(): void
    {
        $platform = new AceDataPlatform('platform-v1-mock-0123456789', self::options());
        $this->assertSame(0, $platform->listCredentials(['headers' => ['X-Tenant' => 'acme'], 'timeout' => 5])['count']);
        $platform->listCredentials();
        $seen = Mock::state()['requests'];
        $this->assertSame('acme', $seen[0]['headers']['x-tenant']);
        $this->assertArrayNotHasKey('x-tenant', $seen[1]['headers']);
        try {
            $platform->getCredential(self::APP, ['headers' => ['Authorization' => 'Bearer mine']]);
            $this->fail('an auth header was accepted');
        } catch (InvalidInputException $e) {
            $this->assertSame('headers', $e->field);
        }
        Mock::fault(['kind' => 'status', 'status' => 503, 'method' => 'GET', 'times' => 1]);
        $this->expectException(ServerException::class);
        $platform->listCredentials(['max_retries' => 0]);
    }

    public function testForeachPagesThroughEveryCredentialAndApplicationsAreListed(): void
    {
        $platform = new AceDataPlatform('platform-v1-mock-0123456789', self::options());
        for ($i = 0; $i < 3; $i++) $platform->createCredential(self::APP);
        $all = $platform->iterCredentials(['limit' => 2]);
        $this->assertInstanceOf(CredentialIterator::class, $all);
        $this->assertArrayNotHasKey('GET /api/v1/credentials/', Mock::counts(), 'nothing is fetched before foreach');
        $ids = [];
        foreach ($all as $index => $credential) $ids[$index] = $credential->id;
        $this->assertSame([0, 1, 2], array_keys($ids));
        $this->assertSame(2, Mock::counts()['GET /api/v1/credentials/']);
        $this->assertSame(3, iterator_count($all), 'a second foreach starts again');
        $apps = $platform->listApplications(['limit' => 1]);
        $this->assertSame(2, $apps['count']);
        $this->assertSame('Api', $platform->getApplication($apps['items'][0]['id'])['type']);
    }
}
