<?php
// Many tenants in the PHP CLI (bench/php_bench.py runs it with the server's flags); prints one JSON line.
//
//   clients.php construct BASE N   N clients with distinct API keys, all kept: the median construction and the
//                                  RSS growth per kept client (after one client built first)
//   clients.php tenants BASE N     N tenants in turn (keys registered with the mock by bench/run.py), a client
//                                  built for each one's call: µs per tenant, build and call p50, context switches
//
// The clients are built as pages build them: the default options, so each is the worker's persistent client
// for its key (kept by the extension for later requests of the worker).

function tenant_key(int $i): string
{
    return "tenant{$i}-key-0123456789abcdef";  // as bench/run.py registers it with the mock
}

function rss_kib(): float
{
    preg_match('/^VmRSS:\s+(\d+)/m', file_get_contents('/proc/self/status'), $match);
    return (float) $match[1];
}

function median_us(array $nanos): float
{
    sort($nanos);
    return $nanos[intdiv(count($nanos), 2)] / 1000;
}

/** Context switches so far of every thread of this process (getrusage's RUSAGE_SELF): [voluntary, involuntary]. */
function switches(): array
{
    $usage = getrusage();
    return [$usage['ru_nvcsw'], $usage['ru_nivcsw']];
}

[, $mode, $base, $n] = $argv;
$n = (int) $n;
$options = ['base_url' => $base];
if ($mode === 'construct') {
    Tokensmith\AkoolClient::fromApiKey('warm-up-key-0123456789abcdef', $options);
    $rss_before = rss_kib();
    $kept = [];
    $nanos = [];
    for ($i = 0; $i < $n; $i++) {
        $key = tenant_key($i);
        $started = hrtime(true);
        $kept[] = Tokensmith\AkoolClient::fromApiKey($key, $options);
        $nanos[] = hrtime(true) - $started;
    }
    $per_client = (rss_kib() - $rss_before) / $n;
    echo json_encode(['clients' => count($kept), 'median_us' => median_us($nanos), 'rss_kib_per_client' => $per_client]), "\n";
} elseif ($mode === 'tenants') {
    $build = [];
    $call = [];
    [$voluntary, $involuntary] = switches();
    $started = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $t0 = hrtime(true);
        $client = Tokensmith\AkoolClient::fromApiKey(tenant_key($i), $options);
        $t1 = hrtime(true);
        $client->request('GET', '/api/open/v3/faceswap/quota/info');
        $call[] = hrtime(true) - $t1;
        $build[] = $t1 - $t0;
        unset($client);
    }
    $per_tenant = (hrtime(true) - $started) / 1000 / $n;
    [$voluntary_now, $involuntary_now] = switches();
    echo json_encode([
        'tenants' => $n,
        'us_per_tenant' => $per_tenant,
        'build_p50_us' => median_us($build),
        'call_p50_us' => median_us($call),
        'cs' => ($voluntary_now - $voluntary) + ($involuntary_now - $involuntary),
        'cs_involuntary' => $involuntary_now - $involuntary,
    ]), "\n";
} else {
    fwrite(STDERR, "usage: clients.php construct|tenants BASE N\n");
    exit(2);
}
