<?php
// Connections the server ends between calls (docs/retries.md): closed after sitting idle, as balancers and nginx
// do, or all closed by a restart on the same port. A PHP worker's calls are blocking: the calling thread drives
// its own I/O, and first reads what the server did to its idle connections. No call may fail for it, a create
// included with retries off, and a create is never made twice.

use PHPUnit\Framework\TestCase;

final class ConnectionFaultsTest extends TestCase
{

    protected function tearDown(): void
    {
        Mock::reset();
    }

    public function testCallsSurviveIdleClosesAndRestartsWithRetriesOff(): void
    {
        // Milliseconds in CI; `scripts/test-reliability --long` sets 1 s and 100 rounds.
        $idleMs = (int) (getenv('TOKENSMITH_FAULT_IDLE_MS') ?: 50);
        $rounds = (int) (getenv('TOKENSMITH_FAULT_ROUNDS') ?: 5);
        Mock::reset();
        Mock::server()->setIdleClose($idleMs);
        // The setting closes at once the connections earlier tests left open: let that happen before the first
        // call, since a request written at that very instant is the race no client can win (docs/retries.md).
        usleep(2 * $idleMs * 1000);
        $options = ['base_url' => Mock::baseUrl(), 'max_retries' => 0];
        $platform = new Tokensmith\AceDataPlatform('platform-v1-mock-0123456789', $options);
        $akool = Tokensmith\AkoolClient::fromClientCredentials('mock-client-id', 'mock-api-key-0123456789abcdefghi', $options);
        for ($round = 0; $round < $rounds; $round++) {
            $platform->createCredential('107f8d0f-e465-4a7e-a49e-d633d26f7aa2');
            $this->assertSame('bearer', $akool->request('GET', '/api/open/v3/faceswap/quota/info')['auth']);
            usleep(2 * $idleMs * 1000);
            if ($round % 2 === 1) {
                Mock::server()->restart();
            }
        }
        $this->assertCount($rounds, Mock::server()->credentials(), 'each create made once');
        // The first round may reuse a connection opened before the reset, which the count does not include.
        $this->assertGreaterThanOrEqual($rounds - 1, Mock::server()->connectionCount(), 'the mock closed the idle connections');
    }
}
