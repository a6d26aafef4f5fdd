<?php
// PHP-FPM as sites run it: one worker, recycled after every 3 requests (pm.max_requests), serves page views that
// each build their AkoolClient anew (method 2), while the mock closes connections idle for 50 ms and the views come
// 100 ms apart. Every view succeeds: a new worker process builds its own runtime and pool, and a worker never
// writes a request onto a connection the server closed between its views.

use PHPUnit\Framework\TestCase;

final class FpmTest extends TestCase
{
    private const VIEWS = 10;

    public function testRecycledWorkersAndIdleClosesLoseNoPageView(): void
    {
        $dir = sys_get_temp_dir() . '/tokensmith-fpm-' . getmypid();
        @mkdir($dir);
        $socket = "$dir/fpm.sock";
        $extension = ini_get('extension') ?: getenv('TOKENSMITH_PHP_EXTENSION');
        $baseUrl = Mock::baseUrl();
        file_put_contents("$dir/fpm.conf", <<<CONF
            [global]
            error_log = $dir/error.log
            [www]
            user = root
            listen = $socket
            pm = static
            pm.max_children = 1
            pm.max_requests = 3
            env[MOCK_BASE_URL] = $baseUrl
            php_admin_value[extension] = $extension
            CONF);
        // -R: the tests may run as root, which php-fpm refuses unless told.
        $fpm = proc_open(['/usr/sbin/php-fpm8.2', '-n', '-F', '-R', '-y', "$dir/fpm.conf"], [1 => ['file', "$dir/out.log", 'w'], 2 => ['file', "$dir/out.log", 'a']], $pipes);
        try {
            for ($i = 0; $i < 100 && !file_exists($socket); $i++) {
                usleep(50_000);
            }
            $this->assertFileExists($socket, 'php-fpm did not start: ' . @file_get_contents("$dir/out.log"));
            Mock::reset();
            Mock::server()->setIdleClose(50);
            usleep(100_000); // closes what earlier tests left open first (see ConnectionFaultsTest)
            $pids = [];
            for ($view = 0; $view < self::VIEWS; $view++) {
                $page = self::view($socket);
                $this->assertSame('bearer', $page['auth'] ?? $page['error'] ?? json_encode($page), "view $view");
                $pids[$page['pid']] = true;
                usleep(100_000);
            }
            $this->assertGreaterThanOrEqual(3, count($pids), 'pm.max_requests recycled the worker');
            $this->assertSame(self::VIEWS, Mock::counts()['GET /api/open/v3/faceswap/quota/info']);
        } finally {
            Mock::reset();
            proc_terminate($fpm);
            proc_close($fpm);
        }
    }

    /** One page view through FastCGI (cgi-fcgi from Debian's libfcgi-bin), as a web server would ask for it. */
    private static function view(string $socket): array
    {
        $env = [
            'SCRIPT_FILENAME' => __DIR__ . '/page.php',
            'REQUEST_METHOD' => 'GET',
            'QUERY_STRING' => '',
            'PATH' => getenv('PATH'),
        ];
        $process = proc_open(['cgi-fcgi', '-bind', '-connect', $socket], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        $answer = stream_get_contents($pipes[1]);
        proc_close($process);
        $body = substr($answer, strpos($answer, "\r\n\r\n") + 4);
        return json_decode($body, true) ?? ['error' => "not JSON: $answer"];
    }
}
