<?php
// Many tenants in one PHP worker: their clients share the worker's connections; the worker keeps at most
// `tokensmith.max_clients` of them (php.ini, default 1000), finds a recent one in microseconds, and drops the least
// recently used. The memory, cap and fromEnv cases run worker.php in a process of their own.

use PHPUnit\Framework\TestCase;
use Tokensmith\AkoolClient;
use Tokensmith\AuthenticationException;

final class TenantsTest extends TestCase
{
    private const QUOTA = '/api/open/v3/faceswap/quota/info';

    protected function setUp(): void
    {
        Mock::reset();
    }

    /** Runs worker.php SCENARIO in a PHP process of its own with these ini settings; its JSON result. */
    private static function worker(string $scenario, array $ini = []): array
    {
        $extension = ini_get('extension') ?: getenv('TOKENSMITH_PHP_EXTENSION');
        $command = [PHP_BINARY, '-n', '-d', "extension=$extension"];
        foreach ($ini as $name => $value) {
            array_push($command, '-d', "$name=$value");
        }
        array_push($command, __DIR__ . '/worker.php', $scenario);
        $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, ['PATH' => getenv('PATH')]);
        $output = stream_get_contents($pipes[1]);
        $errors = stream_get_contents($pipes[2]);
        $status = proc_close($process);
        $result = json_decode($output, true);
        if ($status !== 0 || !is_array($result)) {
            self::fail("worker.php $scenario exited with $status: $output $errors");
        }
        return $result;
    }

    public function testTenantsCallingOneAfterAnotherShareTheWorkersConnections(): void
    {
        $mock = Mock::server();
        $tenants = 40;
        for ($i = 0; $i < $tenants; $i++) {
            $id = "tenant-$i";
            $secret = "tenant-secret-$i-0123456789abcdef";
            $mock->addTenant($id, $secret);
            $options = ['base_url' => Mock::baseUrl()];
            $akool = $i % 2 ? AkoolClient::fromApiKey($secret, $options) : AkoolClient::fromClientCredentials($id, $secret, $options);
            $this->assertSame($id, $akool->request('GET', self::QUOTA)['client_id'], 'every call carries its own tenant\'s credential');
        }
        $this->assertSame($tenants / 2, $mock->tokenCount());
        $this->assertSame($tenants * 3 / 2, array_sum(Mock::counts()));
        $this->assertLessThanOrEqual(2, $mock->connectionCount(), "$tenants tenants' sequential calls opened a connection each");
    }

    public function testTheCapIsASystemSettingOf1000ByDefault(): void
    {
        $this->assertSame('1000', ini_get('tokensmith.max_clients'));
        $this->assertFalse(ini_set('tokensmith.max_clients', '5'), 'a request cannot change what the worker keeps');
        $this->assertSame('1000', ini_get('tokensmith.max_clients'));
        $this->assertSame('1000', self::worker('cap', ['tokensmith.max_clients' => '-5'])['max_clients'], 'an invalid value keeps the default');
    }

    public function testTwentyThousandTenantsInOneWorker(): void
    {
        $result = self::worker('many');
        $this->assertSame('1000', $result['max_clients']);
        $this->assertSame(20_000, $result['built'], sprintf('only %d clients built in %.1f s', $result['built'], $result['build_seconds']));
        $this->assertLessThan(64 << 20, $result['rss_growth'], sprintf('RSS grew %.1f MiB for 20,000 tenants', $result['rss_growth'] / 1048576));
        $this->assertSame(100, $result['tokens_before_lookups']);
        $this->assertSame(100, $result['tokens_after_lookups'], 'a lookup of a recent tenant built a new client');
        $this->assertLessThan(50, $result['lookup_median_us'], "a recent tenant's client took {$result['lookup_median_us']} µs to find");
        fwrite(STDERR, sprintf(
            "\n20,000 tenants: built in %.2f s, RSS +%.1f MiB (PHP heap +%.1f MiB), lookup median %.1f µs, p99 %.1f µs\n",
            $result['build_seconds'], $result['rss_growth'] / 1048576, $result['heap_growth'] / 1048576,
            $result['lookup_median_us'], $result['lookup_p99_us'],
        ));
    }

    public function testTheLeastRecentlyUsedClientGoesFirstWhenTheCapIsReached(): void
    {
        // 10 method-2 tenants fetch a token each, then 100 other tenants come; then the first one twice.
        $this->assertSame([10, 11, 11], self::worker('cap', ['tokensmith.max_clients' => '50'])['tokens'], 'cap 50: the oldest is built anew, then kept');
        $this->assertSame([10, 10, 10], self::worker('cap')['tokens'], 'cap 1000: all are kept');
        $this->assertSame([10, 11, 12], self::worker('cap', ['tokensmith.max_clients' => '0'])['tokens'], 'cap 0: none is kept');
    }

    public function testFromEnvKeepsAClientPerEnvironment(): void
    {
        $result = self::worker('env');
        $this->assertSame(['same token', 'new token', 'refused', 'same token'], $result['akool'], 'a changed secret never gets the kept token');
        $this->assertSame(2, $result['akool_tokens']);
        $this->assertSame([0, 0, 'refused', 0], $result['acedata'], 'a changed platform token is a new client');
    }

    public function testPersistentIsTheDefaultAndFalseBuildsAClientOfItsOwn(): void
    {
        $demo = Mock::server()->demo();
        $options = ['base_url' => Mock::baseUrl(), 'request_timeout' => 29];   // settings no other test uses
        $build = fn (array $more = []) => AkoolClient::fromClientCredentials($demo['client_id'], $demo['client_secret'], $more + $options);
        $token = $build()->token();
        $this->assertSame($token, $build()->token());
        $this->assertSame($token, $build(['persistent' => true])->token());
        $this->assertNotSame($token, $build(['persistent' => false])->token());
        $this->assertNotSame($token, $build(['request_timeout' => 28])->token(), 'other options are another client');
        $this->assertSame(3, Mock::server()->tokenCount());
        $this->expectException(AuthenticationException::class);
        AkoolClient::fromClientCredentials($demo['client_id'], 'another-secret-0123456789abcdef', $options)->token();
    }
}
