<?php
// The PHP testing kit as users meet it with PHPUnit: one MockServer per test class, reset per test, faults, the
// requests seen, and the ready clients.

use PHPUnit\Framework\TestCase;
use Tokensmith\AccountBannedException;
use Tokensmith\AkoolClient;
use Tokensmith\AuthenticationException;
use Tokensmith\InvalidInputException;
use Tokensmith\Testing\MockServer;

final class TestingKitTest extends TestCase
{
    private static MockServer $mock;

    public static function setUpBeforeClass(): void
    {
        self::$mock = new MockServer();
    }

    protected function setUp(): void
    {
        self::$mock->reset();
    }

    public function testClientsOfTheMockAndWhatItSaw(): void
    {
        $mock = self::$mock;
        $akool = $mock->akool();
        $akool->request('POST', '/api/open/v3/faceswap/highquality/specifyimage', ['a' => 1]);
        [$getToken, $call] = $mock->requests();
        $this->assertSame('/api/open/v3/getToken', $getToken['path']);
        $this->assertSame('** redacted **', $getToken['json']['clientSecret']);
        $this->assertSame(['a' => 1], $call['json']);
        $this->assertSame('Bearer ' . $akool->token(), $mock->requests(true)[1]['headers']['authorization']);
        $this->assertSame(1, $mock->tokenCount());
        $created = $mock->platform()->createCredential($mock->demo()['application_id']);
        $this->assertSame([$created->id], array_column($mock->credentials(), 'id'));
        $mock->arm(['kind' => 'status', 'status' => 503, 'times' => 5]); // left armed: the next test must not see it
    }

    public function testNothingLeaksFromTheTestBefore(): void
    {
        $mock = self::$mock;
        $this->assertSame([], $mock->requests());
        $this->assertSame(0, $mock->platform()->listCredentials()['count']);
        $mock->arm(['kind' => 'akool_code', 'code' => 1200, 'path' => '/api/open/v3/x']);
        $this->expectException(AccountBannedException::class);
        $mock->akool()->request('GET', '/api/open/v3/x');
    }

    public function testConnectionsAndTenants(): void
    {
        $mock = self::$mock;
        $this->assertSame(0, $mock->connectionCount());
        $state = json_decode(file_get_contents($mock->baseUrl() . '/__mock/state'), true);   // a connection of its own
        $this->assertSame(1, $state['connections']);
        $this->assertSame(1, $mock->connectionCount());
        $mock->addTenant('tenant-a', 'tenant-a-secret-0123456789abcdef');
        $akool = AkoolClient::fromApiKey('tenant-a-secret-0123456789abcdef', ['base_url' => $mock->baseUrl(), 'persistent' => false]);
        $this->assertSame('tenant-a', $akool->request('GET', '/api/open/v3/faceswap/quota/info')['client_id']);
        $mock->reset();
        $this->assertSame(0, $mock->connectionCount());
        $this->expectException(AuthenticationException::class);   // reset forgot the tenant
        $akool->request('GET', '/api/open/v3/faceswap/quota/info');
    }

    public function testBadRulesAndWebhookTargetsAreInputErrors(): void
    {
        try {
            self::$mock->arm(['kind' => 'no_such_fault']);
            $this->fail('an unknown fault was armed');
        } catch (InvalidInputException $e) {
            $this->assertSame('rule', $e->field);
        }
        $this->expectException(InvalidInputException::class);
        self::$mock->sendWebhook('https://example.com/hook', ['_id' => 'x']);
    }
}
