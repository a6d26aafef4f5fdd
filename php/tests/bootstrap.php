<?php
// Shared by the tests: the mock vendor server of the extension's testing kit (docs/testing.md), in this process.

require_once 'PHPUnit/Autoload.php';
require_once '/usr/share/php/GuzzleHttp/autoload.php';

if (!extension_loaded('tokensmith')) {
    fwrite(STDERR, "load the extension: php -d extension=\$(scripts/php-extension | tail -1)\n");
    exit(2);
}

/** The mock vendor server (docs/mock.md) of the extension's testing kit, in this process, with the helpers the tests use. */
final class Mock
{
    private static ?Tokensmith\Testing\MockServer $server = null;

    public static function server(): Tokensmith\Testing\MockServer
    {
        return self::$server ??= new Tokensmith\Testing\MockServer();
    }

    public static function baseUrl(): string { return self::server()->baseUrl(); }
    public static function reset(): void { self::server()->reset(); }
    public static function fault(array $rule): void { self::server()->arm($rule); }
    public static function expireTokens(): void { self::server()->expireTokens(); }
    public static function counts(): array { return self::server()->counts(); }

    public static function state(): array
    {
        return json_decode(file_get_contents(self::baseUrl() . '/__mock/state'), true);
    }
}
