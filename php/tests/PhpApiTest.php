<?php
// What is particular to PHP: Guzzle with authHeaders(), arrays in and out, option keys and types, exception
// classes and codes, and objects that never print, export or encode a secret.

use PHPUnit\Framework\TestCase;
use Tokensmith\AceDataPlatform;
use Tokensmith\AkoolClient;
use Tokensmith\InvalidInputException;
use Tokensmith\TokensmithException;
use Tokensmith\WebhookVerifier;

final class PhpApiTest extends TestCase
{
    private const API_KEY = 'mock-api-key-0123456789abcdefghi';
    private const QUOTA = '/api/open/v3/faceswap/quota/info';
    private const APP = '107f8d0f-e465-4a7e-a49e-d633d26f7aa2';

    protected function setUp(): void
    {
        Mock::reset();
    }

    private static function options(array $more = []): array
    {
        return ['base_url' => Mock::baseUrl(), 'initial_backoff' => 0.01, 'persistent' => false] + $more;
    }

    public function testGuzzleSendsTheAuthHeadersOfMethodTwo(): void
    {
        $akool = AkoolClient::fromClientCredentials('mock-client-id', self::API_KEY, self::options());
        $guzzle = new GuzzleHttp\Client(['base_uri' => Mock::baseUrl(), 'headers' => $akool->authHeaders()]);
        $answer = json_decode((string) $guzzle->get(self::QUOTA)->getBody(), true);
        $this->assertSame(1000, $answer['code']);
        $this->assertSame('bearer', $answer['data']['auth']);
        $this->assertSame('Bearer ' . $akool->token(), $akool->authHeaders()['authorization']);
        $this->assertSame(1, Mock::counts()['POST /api/open/v3/getToken']);
    }

    public function testUsersOfGuzzleRenewARefusedTokenOnce(): void
    {
        $akool = AkoolClient::fromClientCredentials('mock-client-id', self::API_KEY, self::options());
        $ownCall = fn () => json_decode((string) (new GuzzleHttp\Client(['headers' => $akool->authHeaders()]))->get(Mock::baseUrl() . self::QUOTA)->getBody(), true);
        $this->assertSame(1000, $ownCall()['code']);
        $stale = $akool->token();
        Mock::expireTokens();
        $refused = $ownCall();
        $this->assertTrue(Tokensmith\is_token_expired(json_encode($refused)));
        $this->assertFalse(Tokensmith\is_token_expired('{"code": 1000}'));
        $akool->invalidateToken($stale);
        $akool->invalidateToken($stale);
        $this->assertSame(1000, $ownCall()['code']);
        $this->assertSame(2, Mock::counts()['POST /api/open/v3/getToken']);
    }

    public function testRequestTakesAndReturnsArrays(): void
    {
        $akool = AkoolClient::fromApiKey(self::API_KEY, self::options());
        $data = $akool->request('POST', '/api/open/v3/faceswap/highquality/specifyimage', ['modifyImage' => 'https://x/b.png', 'n' => [1, 2]]);
        $this->assertSame(['modifyImage' => 'https://x/b.png', 'n' => [1, 2]], $data['body']);
        $this->assertSame('x-api-key', $akool->request('GET', self::QUOTA)['auth']);
    }

    public function testOptionKeysAndTypesAreChecked(): void
    {
        foreach ([
            [['timeout' => 5], 'timeout'],
            [['request_timeout' => 'soon'], 'request_timeout'],
            [['max_retries' => 1.5], 'max_retries'],
            [['max_retries' => -1], 'max_retries'],
            [['request_timeout' => -2], 'request_timeout'],
            [['persistent' => 'yes'], 'persistent'],
            [['root_certificates' => 'PEM'], 'root_certificates'],
        ] as [$options, $field]) {
            try {
                AkoolClient::fromApiKey(self::API_KEY, $options);
                $this->fail('accepted ' . json_encode($options));
            } catch (InvalidInputException $e) {
                $this->assertSame($field, $e->field, $e->getMessage());
                $this->assertSame('InvalidInput', $e->kind);
            }
        }
        $platform = new AceDataPlatform('platform-v1-mock-0123456789', self::options());
        $this->expectException(InvalidInputException::class);
        $platform->createCredential(self::APP, ['limit' => 5]);
    }

    public function testExceptionsAreRuntimeExceptionsByKindWithCodes(): void
    {
        Mock::fault(['kind' => 'akool_code', 'code' => 1200]);
        try {
            AkoolClient::fromApiKey(self::API_KEY, self::options())->request('GET', self::QUOTA);
            $this->fail('no exception');
        } catch (Tokensmith\AccountBannedException $e) {
            $this->assertInstanceOf(Tokensmith\ApiException::class, $e);
            $this->assertInstanceOf(RuntimeException::class, $e);
            $this->assertSame(1200, $e->getCode());
            $this->assertSame(200, $e->status);
            $this->assertSame('account banned (HTTP 200, Akool code 1200: The account has been banned)', $e->getMessage());
        }
        try {
            (new AceDataPlatform('wrong', self::options()))->listCredentials();
            $this->fail('no exception');
        } catch (Tokensmith\AuthenticationException $e) {
            $this->assertSame([401, 401, 'invalid_token'], [$e->getCode(), $e->status, $e->vendorCode]);
            $this->assertNotNull($e->traceId);
        }
        foreach (Tokensmith\error_kinds() as $kind) {
            $class = $kind === 'Timeout' ? 'Tokensmith\RequestTimeoutException' : "Tokensmith\\{$kind}Exception";
            $this->assertTrue(is_subclass_of($class, TokensmithException::class), $class);
        }
        $this->assertSame(RuntimeException::class, get_parent_class(TokensmithException::class));
        $this->assertSame(Tokensmith\TransportException::class, get_parent_class(Tokensmith\RequestTimeoutException::class));
        $this->assertSame(TokensmithException::class, get_parent_class(Tokensmith\DecodeException::class));
    }

    public function testAThrownExceptionTellsWhereTheCallWas(): void
    {
        $akool = AkoolClient::fromApiKey('wrong', self::options());
        try {
            $line = __LINE__ + 1;
            $akool->request('GET', self::QUOTA);
            $this->fail('no exception');
        } catch (Tokensmith\AuthenticationException $e) {
            $this->assertSame([__FILE__, $line], [$e->getFile(), $e->getLine()]);
            $this->assertSame('Tokensmith\AkoolClient', $e->getTrace()[0]['class']);
            $this->assertSame('request', $e->getTrace()[0]['function']);
            $this->assertArrayNotHasKey('args', $e->getTrace()[0]);
            $this->assertNull($e->getPrevious());
        }
    }

    public function testPhpCodeCanMakeAnExceptionAsAStandIn(): void
    {
        $previous = new LogicException('cause');
        $e = new Tokensmith\RateLimitedException('slow down', 429, $previous);
        $e->retryAfter = 2.5;
        $this->assertInstanceOf(Tokensmith\ApiException::class, $e);
        $this->assertSame(['slow down', 429, $previous, 2.5, null], [$e->getMessage(), $e->getCode(), $e->getPrevious(), $e->retryAfter, $e->kind]);
        try {
            throw $e;
        } catch (TokensmithException $caught) {
            $this->assertSame($e, $caught);
        }
        $this->assertSame('', (new TokensmithException())->getMessage());
        $this->expectException(TypeError::class);
        new Tokensmith\ApiException('x', 0, new stdClass());
    }

    public function testTheCredentialLifecycleWithATokenThatNeverPrints(): void
    {
        $platform = new AceDataPlatform('platform-v1-mock-0123456789', self::options());
        $created = $platform->createCredential(self::APP, ['limited_amount' => 100, 'host' => 'example.com']);
        $this->assertIsString($created->token);
        $this->assertTrue(isset($created->token));
        $this->assertSame([100.0, 'example.com', 'Token'], [$created->limited_amount, $created->host, $created->type]);
        foreach (self::forms($created) as $form) {
            $this->assertStringNotContainsString($created->token, $form);
        }
        $updated = $platform->updateCredential($created->id, ['limited_amount' => null]);
        $this->assertNull($updated->limited_amount);
        $rotated = $platform->rotateCredential($created->id);
        $this->assertNotSame($created->token, $rotated->token);
        $page = $platform->listCredentials(['limit' => 10]);
        $this->assertSame(1, $page['count']);
        $this->assertSame($created->id, $page['items'][0]->id);
        $platform->deleteCredential($created->id);
        $this->expectException(Tokensmith\NotFoundException::class);
        $platform->getCredential($created->id);
    }

    public function testNoObjectPrintsExportsOrEncodesItsSecret(): void
    {
        $canary = 'CANARY-5d1e-secret-0123456789abc';
        $objects = [
            AkoolClient::fromApiKey($canary, self::options()),
            AkoolClient::fromClientCredentials('id', $canary, self::options()),
            new AceDataPlatform($canary, self::options()),
            new WebhookVerifier('id', $canary),
        ];
        foreach ($objects as $object) {
            foreach (self::forms($object) as $form) {
                $this->assertStringNotContainsString('CANARY-5d1e', $form);
            }
        }
        try {
            AkoolClient::fromApiKey($canary, self::options())->request('GET', self::QUOTA);
            $this->fail('a wrong key was accepted');
        } catch (Tokensmith\AuthenticationException $e) {
            foreach ([...self::forms($e), $e->getTraceAsString(), (string) $e] as $form) {
                $this->assertStringNotContainsString('CANARY-5d1e', $form);
            }
        }
        try {
            AkoolClient::fromApiKey($canary, ['base_url' => 'http://example.com']);
            $this->fail('plain http to a remote host was accepted');
        } catch (InvalidInputException $e) {
            $this->assertStringNotContainsString('CANARY-5d1e', $e->getTraceAsString() . print_r($e, true));
        }
    }

    public function testAWebhookIsVerifiedFromTheRawBody(): void
    {
        $verifier = new WebhookVerifier('mock-client-id', self::API_KEY, ['tolerance_seconds' => 300]);
        try {
            $verifier->verify('{"signature": 1}');
            $this->fail('a malformed body was accepted');
        } catch (Tokensmith\WebhookRejectedException $e) {
            $this->assertSame('MalformedBody', $e->reason);
        }
    }

    /** @return string[] every way PHP turns an object into text */
    private static function forms(object $object): array
    {
        ob_start();
        var_dump($object);
        return [ob_get_clean(), print_r($object, true), var_export($object, true), (string) json_encode($object), serialize_safe($object)];
    }
}

/** `serialize`, or the reason it refuses (internal objects may not be serializable). */
function serialize_safe(object $object): string
{
    try {
        return serialize($object);
    } catch (Throwable $e) {
        return $e->getMessage();
    }
}
