<?php
// Shared by the tests: the mock vendor server (docs/mock.md), started once from the workspace's tokensmith-mock.

require_once 'PHPUnit/Autoload.php';
require_once '/usr/share/php/GuzzleHttp/autoload.php';

if (!extension_loaded('tokensmith')) {
    fwrite(STDERR, "load the extension: php -d extension=\$(scripts/php-extension | tail -1)\n");
    exit(2);
}

final class Mock
{
    private static $process;
    private static $baseUrl;

    public static function baseUrl(): string
    {
        if (self::$baseUrl === null) {
            $bin = getenv('TOKENSMITH_MOCK_BIN') ?: dirname(__DIR__, 2) . '/target/debug/tokensmith-mock';
            self::$process = proc_open([$bin, '--addr', '127.0.0.1:0'], [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
            self::$baseUrl = trim(fgets($pipes[1]));
            register_shutdown_function(static fn () => proc_terminate(self::$process));
        }
        return self::$baseUrl;
    }

    private static function admin(string $method, string $path, $body = null)
    {
        $context = stream_context_create(['http' => ['method' => $method, 'header' => 'Content-Type: application/json', 'content' => $body === null ? '' : json_encode($body), 'ignore_errors' => true]]);
        $text = file_get_contents(self::baseUrl() . $path, false, $context);
        return $text === '' ? null : json_decode($text, true);
    }

    public static function reset(): void { self::admin('POST', '/__mock/reset'); }
    public static function fault(array $rule): void { self::admin('POST', '/__mock/faults', $rule); }
    public static function expireTokens(): void { self::admin('POST', '/__mock/expire-tokens'); }
    public static function state(): array { return self::admin('GET', '/__mock/state'); }
    public static function counts(): array { return self::state()['counts']; }
}
