<?php
// Telemetry's cost per call in PHP (bench/run.py's telemetry section; bench/php_bench.py runs it in the PHP CLI with
// the server's flags): ns per authHeaders() with the token cached, no I/O. Unset, no telemetry hook is set (PHP's
// default: it has no OpenTelemetry API of ours to find); BENCH_TELEMETRY=on sets a hook that starts a span (returns
// a handle and its traceparent) and drops each report, as a bridge to open-telemetry/api would minus its SDK;
// TOKENSMITH_TELEMETRY=off is the off switch. Prints one JSON line.
//
//   auth_headers.php BASE N

final class DroppingHook
{
    public function start(string $operation): ?array
    {
        return ['handle' => 1, 'propagation' => ['traceparent' => '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']];
    }

    public function finish(int $handle, array $report): void
    {
    }
}

[, $base, $n] = $argv;
$n = (int) $n;
if (getenv('BENCH_TELEMETRY') === 'on') {
    Tokensmith\set_telemetry_hook(new DroppingHook());
}
$client = Tokensmith\AkoolClient::fromClientCredentials('mock-client-id', 'mock-api-key-0123456789abcdefghi', ['base_url' => $base]);
$client->token();
$started = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    $client->authHeaders();
}
echo json_encode(['ns_per_call' => (hrtime(true) - $started) / $n]), "\n";
