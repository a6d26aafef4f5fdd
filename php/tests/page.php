<?php
// The page PersistenceTest serves with `php -S`: what a PHP site does on every page view with method 2.
$secret = $_GET['secret'] ?? 'mock-api-key-0123456789abcdefghi';
$akool = Tokensmith\AkoolClient::fromClientCredentials('mock-client-id', $secret, ['base_url' => getenv('MOCK_BASE_URL')]);
header('Content-Type: application/json');
try {
    echo json_encode(['auth' => $akool->request('GET', '/api/open/v3/faceswap/quota/info')['auth'], 'pid' => getmypid()]);
} catch (Tokensmith\TokensmithException $e) {
    echo json_encode(['error' => $e->kind, 'pid' => getmypid()]);
}
