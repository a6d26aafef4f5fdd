<?php
// The token is kept across requests: one PHP server process (as one PHP-FPM worker) serves 20 page views that
// each build their AkoolClient anew, and the mock sees one getToken, not 20. A changed secret is a different
// client: it never gets the old token.

use PHPUnit\Framework\TestCase;

final class PersistenceTest extends TestCase
{
    private static $server;
    private static $url;

    public static function setUpBeforeClass(): void
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $address = stream_socket_get_name($probe, false);
        fclose($probe);
        $extension = ini_get('extension') ?: getenv('TOKENSMITH_PHP_EXTENSION');
        $command = [PHP_BINARY, '-n', '-d', "extension=$extension", '-S', $address, __DIR__ . '/page.php'];
        $env = ['MOCK_BASE_URL' => Mock::baseUrl(), 'PHP_CLI_SERVER_WORKERS' => '1'];
        self::$server = proc_open($command, [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
        self::$url = "http://$address/";
        // Wait until it answers, with a client of its own (another secret), so the tests start from an unused one.
        for ($i = 0; $i < 100 && @file_get_contents(self::$url . '?secret=probe-0123456789abcdef') === false; $i++) {
            usleep(50_000);
        }
    }

    public static function tearDownAfterClass(): void
    {
        proc_terminate(self::$server);
    }

    private static function view(string $query = ''): array
    {
        return json_decode(file_get_contents(self::$url . $query), true);
    }

    public function testTwentyPageViewsFetchOneToken(): void
    {
        Mock::reset();
        $pids = [];
        for ($i = 0; $i < 20; $i++) {
            $page = self::view();
            $this->assertSame('bearer', $page['auth'] ?? $page['error']);
            $pids[$page['pid']] = true;
        }
        $this->assertCount(1, $pids, 'one server process served every page');
        $this->assertSame(['GET /api/open/v3/faceswap/quota/info' => 20, 'POST /api/open/v3/getToken' => 1], self::sorted(Mock::counts()));
    }

    public function testAChangedSecretDoesNotReuseTheOldToken(): void
    {
        Mock::reset();
        $this->assertSame('bearer', self::view()['auth']);
        $other = self::view('?secret=another-secret-0123456789abcdef');
        $this->assertSame('Authentication', $other['error'] ?? null, 'a wrong secret got the old token');
        $this->assertSame(2, Mock::counts()['POST /api/open/v3/getToken']);
        $this->assertSame('bearer', self::view()['auth']);
        $this->assertSame(2, Mock::counts()['POST /api/open/v3/getToken'], 'the first client kept its token');
    }

    private static function sorted(array $counts): array
    {
        ksort($counts);
        return $counts;
    }
}
