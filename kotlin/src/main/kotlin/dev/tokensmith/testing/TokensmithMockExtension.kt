package dev.tokensmith.testing

import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.ParameterContext
import org.junit.jupiter.api.extension.ParameterResolver

/**
 * A JUnit 5 extension: `@ExtendWith(TokensmithMockExtension::class)` on a test class gives its tests and
 * lifecycle methods a [MockServer] parameter. One server serves the whole test run (it is stopped when the run
 * ends); it is reset before every test, so nothing one test sent, armed or created is seen by the next.
 *
 * JUnit is not a dependency of tokensmith: this class needs `junit-jupiter-api` on the test classpath, which
 * every JUnit 5 project has.
 */
class TokensmithMockExtension : BeforeEachCallback, ParameterResolver {
    /** Resets the run's server before each test. */
    override fun beforeEach(context: ExtensionContext) {
        server(context).reset()
    }

    /** Whether the parameter is a [MockServer]. */
    override fun supportsParameter(parameter: ParameterContext, context: ExtensionContext): Boolean =
        parameter.parameter.type == MockServer::class.java

    /** The run's server. */
    override fun resolveParameter(parameter: ParameterContext, context: ExtensionContext): Any = server(context)

    /** The run's server, made on first use and closed by JUnit with the root store. */
    // getOrComputeIfAbsent: JUnit 6 deprecates it for computeIfAbsent, which JUnit 5 before 5.13 lacks.
    @Suppress("DEPRECATION")
    private fun server(context: ExtensionContext): MockServer =
        context.root.getStore(NAMESPACE).getOrComputeIfAbsent(MockServer::class.java, { MockServer() }, MockServer::class.java)!!

    private companion object {
        val NAMESPACE: ExtensionContext.Namespace = ExtensionContext.Namespace.create(TokensmithMockExtension::class.java)
    }
}
