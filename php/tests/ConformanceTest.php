<?php
// The PHP runner of the shared conformance suite (tests/conformance/cases.json; format in its README). PHP has no
// threads: a step's `threads` calls run one after another. Clients are built with 'persistent' => false, so each
// case starts from a client of its own, as in every other language.

use PHPUnit\Framework\TestCase;
use Tokensmith\AceDataPlatform;
use Tokensmith\AkoolClient;
use Tokensmith\Credential;
use Tokensmith\TokensmithException;
use Tokensmith\WebhookVerifier;

final class ConformanceTest extends TestCase
{
    private static function spec(): array
    {
        return json_decode(file_get_contents(dirname(__DIR__, 2) . '/tests/conformance/cases.json'), true);
    }

    public function cases(): array
    {
        $cases = [];
        foreach (self::spec()['cases'] as $spec) {
            $cases[$spec['name']] = [$spec];
        }
        return $cases;
    }

    /** @dataProvider cases */
    public function testCase(array $spec): void
    {
        (new ConformanceCase($spec, self::spec()))->run();
        $this->addToAssertionCount(1);
    }

    public function testTheSuiteIsNotEmpty(): void
    {
        $this->assertGreaterThanOrEqual(25, count(self::spec()['cases']));
    }
}

final class ConformanceCase
{
    private $client = null;
    private $created = [];

    public function __construct(private array $spec, private array $suite) {}

    private function setting(string $key): string
    {
        $value = $this->spec['client'][$key] ?? $this->suite['demo'][$key];
        return $value === '$canary' ? $this->suite['canary'] : $value;
    }

    private function build()
    {
        $spec = $this->spec['client'];
        $options = ['base_url' => $spec['base_url'] ?? Mock::baseUrl(), 'initial_backoff' => 0.01, 'persistent' => false];
        if (isset($spec['request_timeout_ms'])) {
            $options['request_timeout'] = $spec['request_timeout_ms'] / 1000;
        }
        switch ($spec['type']) {
            case 'akool_api_key': return AkoolClient::fromApiKey($this->setting('api_key'), $options);
            case 'akool_client_credentials':
                return AkoolClient::fromClientCredentials($this->setting('client_id'), $this->setting('client_secret'), $options);
            case 'acedata': return new AceDataPlatform($this->setting('platform_token'), $options);
            case 'webhook': return new WebhookVerifier($this->setting('client_id'), $this->setting('client_secret'));
        }
        throw new LogicException("unknown client type {$spec['type']}");
    }

    private function sub($value)
    {
        return is_string($value) && isset($this->created['id']) ? str_replace('$created.id', $this->created['id'], $value) : $value;
    }

    private static function credentialJson(Credential $c): array
    {
        $fields = ['id', 'user_id', 'application_id', 'type', 'token', 'username', 'password', 'host', 'limited_amount',
            'used_amount', 'expired_at', 'created_at', 'updated_at', 'name'];
        return array_combine($fields, array_map(fn ($f) => $c->$f, $fields));
    }

    private static function errorJson(TokensmithException $e): array
    {
        return ['kind' => $e->kind, 'akool_code' => is_int($e->vendorCode) ? $e->vendorCode : null,
            'vendor_code' => is_string($e->vendorCode) ? $e->vendorCode : null, 'status' => $e->status, 'field' => $e->field,
            'retry_after_seconds' => $e->retryAfter, 'webhook_reason' => $e->reason, 'trace_id' => $e->traceId];
    }

    private function call(string $op, array $args)
    {
        $a = array_map(fn ($v) => $this->sub($v), $args);
        $call = $a['call'] ?? [];
        // A step's `call` object as the per-call options of PHP: the timeout in seconds.
        $o = array_filter(['timeout' => isset($call['timeout_ms']) ? $call['timeout_ms'] / 1000 : null,
            'headers' => $call['headers'] ?? null, 'max_retries' => $call['max_retries'] ?? null], fn ($v) => $v !== null);
        $c = $this->client;
        switch ($op) {
            case 'token': return ['token' => $c->token()];
            case 'auth_headers': return $c->authHeaders();
            case 'request': return $c->request($a['method'], $a['path'], $a['body'] ?? null, $o);
            case 'create_credential':
                $options = array_filter(['host' => $a['host'] ?? null, 'limited_amount' => $a['limited_amount'] ?? null,
                    'expired_at' => $a['expired_at'] ?? null, 'name' => $a['name'] ?? null,
                    'allowed_api_ids' => $a['allowed_api_ids'] ?? null, 'metadata' => $a['metadata'] ?? null], fn ($v) => $v !== null);
                return self::credentialJson($c->createCredential($a['application_id'], $options + $o));
            case 'list_credentials':
                $filter = array_filter(['application_id' => $a['application_id'] ?? null, 'host' => $a['host'] ?? null,
                    'limit' => $a['limit'] ?? null, 'offset' => $a['offset'] ?? null], fn ($v) => $v !== null);
                $page = $c->listCredentials($filter + $o);
                return ['count' => $page['count'], 'items' => array_map([self::class, 'credentialJson'], $page['items'])];
            case 'iter_credentials':
                $filter = array_filter(['application_id' => $a['application_id'] ?? null, 'host' => $a['host'] ?? null,
                    'limit' => $a['limit'] ?? null], fn ($v) => $v !== null);
                $items = [];
                foreach ($c->iterCredentials($filter + $o) as $credential) $items[] = self::credentialJson($credential);
                return ['count' => count($items), 'items' => $items];
            case 'list_applications':
                $filter = array_filter(['limit' => $a['limit'] ?? null, 'offset' => $a['offset'] ?? null], fn ($v) => $v !== null);
                return $c->listApplications($filter + $o);
            case 'get_application': return $c->getApplication($a['id'], $o);
            case 'get_credential': return self::credentialJson($c->getCredential($a['id'], $o));
            case 'update_credential':
                $changes = [];
                foreach (['name', 'limited_amount', 'expired_at'] as $key) {
                    if (array_key_exists($key, $a)) {
                        $changes[$key] = $a[$key];
                    }
                }
                if (!empty($a['clear_limited_amount'])) $changes['limited_amount'] = null;
                if (!empty($a['clear_expired_at'])) $changes['expired_at'] = null;
                return self::credentialJson($c->updateCredential($a['id'], $changes, $o));
            case 'rotate_credential': return self::credentialJson($c->rotateCredential($a['id'], $o));
            case 'delete_credential': $c->deleteCredential($a['id'], $o); return null;
            case 'webhook_verify': return $c->verify($a['body'], $a['expected_id'] ?? null);
        }
        throw new LogicException("unknown op $op");
    }

    private static function matches($expected, $actual, array $created, string $at): void
    {
        if (is_array($expected) && !array_is_list($expected)) {
            foreach ($expected as $key => $want) {
                $got = is_array($actual) ? ($actual[$key] ?? null) : null;
                if ($want === '$absent') {
                    self::check($got === null, "$at$key: expected absent, got " . json_encode($got));
                } elseif ($want === '$changed') {
                    self::check($got !== null && $got !== ($created[$key] ?? null), "$at$key: expected a change");
                } else {
                    self::matches($want, $got, $created, "$at$key.");
                }
            }
        } elseif (is_array($expected)) {
            self::check(is_array($actual) && count($actual) === count($expected), "$at: expected " . json_encode($expected) . ', got ' . json_encode($actual));
            foreach ($expected as $i => $want) {
                self::matches($want, $actual[$i], $created, $at);
            }
        } elseif ($expected === '$present') {
            self::check($actual !== null, "$at: expected present");
        } elseif (is_string($expected) && str_starts_with($expected, '$prefix:')) {
            self::check(is_string($actual) && str_starts_with($actual, substr($expected, 8)), "$at: expected $expected, got " . json_encode($actual));
        } elseif (is_string($expected) && str_starts_with($expected, '$')) {
            throw new LogicException("unknown matcher $expected");
        } elseif (is_int($expected) || is_float($expected)) {
            self::check((is_int($actual) || is_float($actual)) && abs($actual - $expected) < 1e-9, "$at: expected $expected, got " . json_encode($actual));
        } else {
            self::check($expected === $actual, "$at: expected " . json_encode($expected) . ', got ' . json_encode($actual));
        }
    }

    private static function check(bool $ok, string $message): void
    {
        if (!$ok) {
            throw new PHPUnit\Framework\AssertionFailedError($message);
        }
    }

    private function checkStep(string $at, array $expect, $result, ?TokensmithException $error, float $elapsedMs): void
    {
        if (!empty($this->spec['canary'])) {
            $forms = [];
            if ($error !== null) {
                $forms = [(string) $error, $error->getMessage(), $error->getTraceAsString(), print_r($error, true), var_export($error, true), json_encode(self::errorJson($error))];
                ob_start(); var_dump($error); $forms[] = ob_get_clean();
            }
            if ($this->client !== null) {
                ob_start(); var_dump($this->client); $forms[] = ob_get_clean();
                $forms[] = print_r($this->client, true);
                $forms[] = var_export($this->client, true);
                $forms[] = json_encode($this->client);
            }
            foreach ($forms as $form) {
                self::check(!str_contains((string) $form, $this->suite['canary']), "$at: the canary leaked: $form");
            }
        }
        if (!isset($expect['error'])) {
            self::check($error === null, "$at: expected success, got $error");
            if (array_key_exists('result', $expect)) {
                self::matches(json_decode($this->sub(json_encode($expect['result'])), true), $result, $this->created, "$at: ");
            }
            self::check($elapsedMs >= ($expect['min_elapsed_ms'] ?? 0), "$at: took $elapsedMs ms");
            return;
        }
        self::check($error !== null, "$at: expected an error, got " . json_encode($result));
        self::check(in_array($error->kind, Tokensmith\error_kinds(), true), "unknown kind {$error->kind}");
        $wanted = $expect['error'];
        if (isset($wanted['message_contains'])) {
            self::check(str_contains($error->getMessage(), $wanted['message_contains']), "$at: {$error->getMessage()} lacks {$wanted['message_contains']}");
            unset($wanted['message_contains']);
        }
        self::matches($wanted, self::errorJson($error), [], "$at: ");
    }

    public function run(): void
    {
        Mock::reset();
        foreach ($this->spec['steps'] as $index => $step) {
            $op = $step['op'];
            $args = $step['args'] ?? [];
            $at = "step $index ($op)";
            if ($op === 'fault') { Mock::fault($args); continue; }
            if ($op === 'expire_tokens') { Mock::expireTokens(); continue; }
            $expect = $step['expect'] ?? ['ok' => true];
            if ($this->client === null) {
                try {
                    $this->client = $this->build();
                } catch (TokensmithException $e) {
                    $this->checkStep($at, $expect, null, $e, 0);
                    return;
                }
            }
            if ($op === 'build') { $this->checkStep($at, $expect, null, null, 0); continue; }
            for ($i = 0; $i < ($step['threads'] ?? 1); $i++) {
                $started = hrtime(true);
                [$result, $error] = [null, null];
                try {
                    $result = $this->call($op, $args);
                } catch (TokensmithException $e) {
                    $error = $e;
                }
                if ($op === 'create_credential' && $error === null) $this->created = $result;
                $this->checkStep($at, $expect, $result, $error, (hrtime(true) - $started) / 1e6);
            }
        }
        $expected = [];
        foreach ($this->spec['counts'] as $key => $count) $expected[$this->sub($key)] = $count;
        $state = Mock::state();
        ksort($expected);
        $actual = $state['counts'];
        ksort($actual);
        self::check($expected === $actual, 'counts: expected ' . json_encode($expected) . ', got ' . json_encode($actual));
        if (isset($this->spec['state'])) self::matches($this->spec['state'], $state, [], 'state: ');
    }
}
