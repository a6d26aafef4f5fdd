<?php
// The IDE stubs (stubs/tokensmith.php) describe the extension: every stubbed class, method and function exists,
// with the same static-ness and parameters, and every class and method the extension exports is stubbed.

use PHPUnit\Framework\TestCase;

final class StubsTest extends TestCase
{
    /** @return array<string, array<string, array{static: bool, params: string[]}>> class => method => shape */
    private static function stubbed(): array
    {
        $tokens = token_get_all(file_get_contents(dirname(__DIR__) . '/stubs/tokensmith.php'));
        $classes = [];
        $class = null;
        $static = false;
        $depth = 0;
        $classDepth = null;
        $namespace = 'Tokensmith';
        foreach ($tokens as $i => $token) {
            if ($token === '{') $depth++;
            if ($token === '}') { $depth--; if ($classDepth !== null && $depth < $classDepth) { $class = null; $classDepth = null; } }
            if (!is_array($token)) continue;
            if ($token[0] === T_NAMESPACE) {
                for ($j = $i + 1; !is_array($tokens[$j]) || !in_array($tokens[$j][0], [T_STRING, T_NAME_QUALIFIED], true); $j++);
                $namespace = $tokens[$j][1];
            } elseif ($token[0] === T_CLASS) {
                $class = $namespace . '\\' . self::nextString($tokens, $i);
                $classes[$class] = [];
                $classDepth = $depth + 1;
            } elseif ($token[0] === T_STATIC) {
                $static = true;
            } elseif ($token[0] === T_FUNCTION) {
                $name = self::nextString($tokens, $i);
                $params = [];
                for ($j = $i; $tokens[$j] !== ')'; $j++) {
                    if (is_array($tokens[$j]) && $tokens[$j][0] === T_VARIABLE) $params[] = substr($tokens[$j][1], 1);
                }
                $classes[$class ?? 'functions'][$name] = ['static' => $static, 'params' => $params];
                $static = false;
            }
        }
        return $classes;
    }

    private static function nextString(array $tokens, int $i): string
    {
        while (!is_array($tokens[++$i]) || $tokens[$i][0] !== T_STRING);
        return $tokens[$i][1];
    }

    public function testEveryStubbedMethodExistsAndEveryExportedOneIsStubbed(): void
    {
        $stubbed = self::stubbed();
        $this->assertArrayHasKey('Tokensmith\AkoolClient', $stubbed);
        foreach ($stubbed['functions'] as $name => $shape) {
            $this->assertTrue(function_exists("Tokensmith\\$name"), "stubbed function $name is missing");
        }
        foreach ($stubbed as $class => $methods) {
            if ($class === 'functions') continue;
            $this->assertTrue(class_exists($class), "stubbed class $class is missing");
            $reflection = new ReflectionClass($class);
            foreach ($methods as $name => $shape) {
                $this->assertTrue($reflection->hasMethod($name), "$class::$name is stubbed but missing");
                $method = $reflection->getMethod($name);
                $this->assertSame($shape['static'], $method->isStatic(), "$class::$name static");
                $this->assertSame($shape['params'], array_map(fn ($p) => $p->getName(), $method->getParameters()), "$class::$name parameters");
            }
            foreach ($reflection->getMethods() as $method) {
                if ($method->getDeclaringClass()->getName() === $class) {
                    $this->assertArrayHasKey($method->getName(), $methods, "$class::{$method->getName()} is exported but not stubbed");
                }
            }
            foreach ($reflection->getProperties() as $property) {
                if ($property->getDeclaringClass()->getName() === $class) {
                    $this->assertStringContainsString('$' . $property->getName(), file_get_contents(dirname(__DIR__) . '/stubs/tokensmith.php'));
                }
            }
        }
        $extension = new ReflectionExtension('tokensmith');
        foreach ($extension->getClassNames() as $class) {
            $this->assertArrayHasKey($class, $stubbed, "$class is exported but not stubbed");
        }
        foreach (array_keys($extension->getFunctions()) as $function) {
            $this->assertArrayHasKey(substr($function, strlen('Tokensmith\\')), $stubbed['functions'], "$function is not stubbed");
        }
    }
}
