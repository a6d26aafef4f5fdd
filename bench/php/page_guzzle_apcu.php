<?php
// page_guzzle.php with the token kept in APCu (php8.2-apcu; `php -S` needs `-d apc.enable_cli=1`), as a careful
// PHP developer would: getToken only when APCu has no token, or when Akool answers 1101 (invalid or expired
// token), then once more with a fresh one. The token lives in shared memory, readable by any PHP code of the
// same server.
require '/usr/share/php/GuzzleHttp/autoload.php';

const TOKEN_KEY = 'akool_token:mock-client-id';

function akool_token(GuzzleHttp\Client $akool, bool $fresh = false): string
{
    if (!$fresh && is_string($token = apcu_fetch(TOKEN_KEY))) {
        return $token;
    }
    $answer = json_decode((string) $akool->post('/api/open/v3/getToken', [
        'json' => ['clientId' => 'mock-client-id', 'clientSecret' => 'mock-api-key-0123456789abcdefghi'],
    ])->getBody(), true);
    if (($answer['code'] ?? null) !== 1000) {
        throw new RuntimeException('getToken failed: ' . ($answer['msg'] ?? 'no message'));
    }
    apcu_store(TOKEN_KEY, $answer['token'], 30 * 24 * 3600);  // the token is valid for more than a year
    return $answer['token'];
}

function akool_get(GuzzleHttp\Client $akool, string $path, string $token): array
{
    return json_decode((string) $akool->get($path, ['headers' => ['Authorization' => "Bearer $token"]])->getBody(), true);
}

$akool = new GuzzleHttp\Client(['base_uri' => getenv('MOCK_BASE_URL')]);
$answer = akool_get($akool, '/api/open/v3/faceswap/quota/info', akool_token($akool));
if (($answer['code'] ?? null) === 1101) {
    $answer = akool_get($akool, '/api/open/v3/faceswap/quota/info', akool_token($akool, true));
}
if (($answer['code'] ?? null) !== 1000) {
    throw new RuntimeException('Akool answered ' . ($answer['code'] ?? 'nothing') . ': ' . ($answer['msg'] ?? ''));
}
header('Content-Type: application/json');
echo json_encode(['auth' => $answer['data']['auth']]);
