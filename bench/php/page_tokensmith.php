<?php
// A page view of a PHP site that calls Akool with method 2 (client id + secret), through tokensmith. The client is
// built on every view, as PHP code does; the extension hands back the worker's client, with its token and its
// connection pool, so the worker fetches one token in its life. bench/php_bench.py serves this with `php -S`.
$akool = Tokensmith\AkoolClient::fromClientCredentials(
    'mock-client-id',
    'mock-api-key-0123456789abcdefghi',
    ['base_url' => getenv('MOCK_BASE_URL')]
);
$data = $akool->request('GET', '/api/open/v3/faceswap/quota/info');
header('Content-Type: application/json');
echo json_encode(['auth' => $data['auth']]);
