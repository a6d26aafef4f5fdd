<?php
// A PHP worker with many tenants, run by TenantsTest in a process of its own (php -n -d extension=... [-d
// tokensmith.max_clients=N] worker.php SCENARIO): its own registry, its own mock, its own memory figures. Prints
// one JSON object.

use Tokensmith\AceDataPlatform;
use Tokensmith\AkoolClient;
use Tokensmith\AuthenticationException;
use Tokensmith\Testing\MockServer;

$mock = new MockServer();
$options = ['base_url' => $mock->baseUrl()];

/** The API key of method-1 tenant $i (Akool's keys are about this long). */
function api_key(int $i): string
{
    return sprintf('tenant-key-%06d-0123456789abcdef', $i);
}

/** Method-2 tenant $i: its client id and secret, an account of the mock. */
function account(MockServer $mock, int $i): array
{
    $account = [sprintf('tenant-id-%06d', $i), sprintf('tenant-secret-%06d-0123456789abcdef', $i)];
    $mock->addTenant(...$account);
    return $account;
}

/** This process's resident memory in bytes (memory_get_usage sees PHP's heap only, not the extension's). */
function rss(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int) $m[1] * 1024;
}

$result = ['max_clients' => ini_get('tokensmith.max_clients')];
switch ($argv[1] ?? '') {
    case 'many':
        // 20,000 tenants through one worker, as many page views each building its tenant's client; the last 100
        // are method-2 tenants whose token shows whether a later lookup found their client.
        $tenants = 20_000;
        $witnesses = 100;
        AkoolClient::fromApiKey(api_key(-1), $options);   // the first client starts the runtime and the transport
        $rss = rss();
        $heap = memory_get_usage();
        $started = hrtime(true);
        $built = 0;
        $accounts = [];
        for ($i = 0; $i < $tenants; $i++) {
            if ($i < $tenants - $witnesses) {
                AkoolClient::fromApiKey(api_key($i), $options);
            } else {
                $accounts[$i] = account($mock, $i);
                AkoolClient::fromClientCredentials($accounts[$i][0], $accounts[$i][1], $options)->token();
            }
            $built++;
            if (hrtime(true) - $started > 30e9) break;   // report a slow build instead of hanging the suite
        }
        $result['built'] = $built;
        $result['build_seconds'] = (hrtime(true) - $started) / 1e9;
        $result['rss_growth'] = rss() - $rss;
        $result['heap_growth'] = memory_get_usage() - $heap;
        $result['tokens_before_lookups'] = $mock->tokenCount();
        // 1000 lookups of the 500 most recent tenants (all within the default cap of 1000).
        $micros = [];
        for ($j = 0; $j < 1000; $j++) {
            $i = $tenants - 1 - ($j % 500);
            $key = api_key($i);
            $account = $accounts[$i] ?? null;
            $t = hrtime(true);
            $client = $account ? AkoolClient::fromClientCredentials($account[0], $account[1], $options) : AkoolClient::fromApiKey($key, $options);
            $micros[] = (hrtime(true) - $t) / 1e3;
            if ($account) $client->token();   // no fetch if the lookup found the tenant's client
        }
        sort($micros);
        $result['lookup_median_us'] = $micros[500];
        $result['lookup_p99_us'] = $micros[990];
        $result['tokens_after_lookups'] = $mock->tokenCount();
        break;

    case 'cap':
        // 10 method-2 tenants, then 100 method-1 tenants: with a cap under 110 the first ones are evicted.
        $accounts = array_map(fn ($i) => account($mock, $i), range(0, 9));
        foreach ($accounts as $account) AkoolClient::fromClientCredentials($account[0], $account[1], $options)->token();
        $result['tokens'][] = $mock->tokenCount();
        for ($i = 0; $i < 100; $i++) AkoolClient::fromApiKey(api_key($i), $options);
        AkoolClient::fromClientCredentials($accounts[0][0], $accounts[0][1], $options)->token();   // the oldest
        $result['tokens'][] = $mock->tokenCount();
        AkoolClient::fromClientCredentials($accounts[0][0], $accounts[0][1], $options)->token();   // now the newest
        $result['tokens'][] = $mock->tokenCount();
        break;

    case 'env':
        // fromEnv reads the variables on every call: equal values give the kept client, changed ones another.
        [$id, $secret] = account($mock, 1);
        $try = function (callable $call) {
            try {
                return $call();
            } catch (AuthenticationException $e) {
                return 'refused';
            }
        };
        putenv('AKOOL_BASE_URL=' . $mock->baseUrl());
        putenv("AKOOL_CLIENT_ID=$id");
        putenv("AKOOL_CLIENT_SECRET=$secret");
        $first = AkoolClient::fromEnv()->token();
        $result['akool'][] = AkoolClient::fromEnv()->token() === $first ? 'same token' : 'new token';
        $result['akool'][] = AkoolClient::fromEnv(['persistent' => false])->token() === $first ? 'same token' : 'new token';
        putenv('AKOOL_CLIENT_SECRET=another-secret-0123456789abcdef');
        $result['akool'][] = $try(fn () => AkoolClient::fromEnv()->token() === $first ? 'same token' : 'new token');
        putenv("AKOOL_CLIENT_SECRET=$secret");
        $result['akool'][] = AkoolClient::fromEnv()->token() === $first ? 'same token' : 'new token';
        $result['akool_tokens'] = $mock->tokenCount();
        $platform = $mock->demo()['platform_token'];
        putenv('ACEDATA_PLATFORM_BASE_URL=' . $mock->baseUrl());
        putenv("ACEDATA_PLATFORM_TOKEN=$platform");
        $list = fn (array $options = []) => $try(fn () => AceDataPlatform::fromEnv($options)->listCredentials()['count']);
        $result['acedata'][] = $list();
        $result['acedata'][] = $list(['persistent' => false]);
        putenv('ACEDATA_PLATFORM_TOKEN=platform-v1-another-0123456789');
        $result['acedata'][] = $list();
        putenv("ACEDATA_PLATFORM_TOKEN=$platform");
        $result['acedata'][] = $list();
        break;

    default:
        fwrite(STDERR, "usage: worker.php many|cap|env\n");
        exit(2);
}
echo json_encode($result), "\n";
