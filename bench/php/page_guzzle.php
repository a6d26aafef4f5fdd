<?php
// A page view of a PHP site that calls Akool with method 2 as the vendor's PHP snippet does, made efficient: one
// Guzzle client for the page (so the GET reuses getToken's connection), POST /api/open/v3/getToken with the client
// id and secret, check code 1000, then the call with `Authorization: Bearer TOKEN`. Nothing outlives the request
// under `php -S` or PHP-FPM, so every page view fetches a token, as the snippet does.
// Guzzle is Debian's php-guzzlehttp-guzzle; it uses the curl extension (php8.2-curl) when loaded.
require '/usr/share/php/GuzzleHttp/autoload.php';

$akool = new GuzzleHttp\Client(['base_uri' => getenv('MOCK_BASE_URL')]);
$answer = json_decode((string) $akool->post('/api/open/v3/getToken', [
    'json' => ['clientId' => 'mock-client-id', 'clientSecret' => 'mock-api-key-0123456789abcdefghi'],
])->getBody(), true);
if (($answer['code'] ?? null) !== 1000) {
    throw new RuntimeException('getToken failed: ' . ($answer['msg'] ?? 'no message'));
}
$answer = json_decode((string) $akool->get('/api/open/v3/faceswap/quota/info', [
    'headers' => ['Authorization' => 'Bearer ' . $answer['token']],
])->getBody(), true);
if (($answer['code'] ?? null) !== 1000) {
    throw new RuntimeException('Akool answered ' . ($answer['code'] ?? 'nothing') . ': ' . ($answer['msg'] ?? ''));
}
header('Content-Type: application/json');
echo json_encode(['auth' => $answer['data']['auth']]);
