package io.routewatch.collector;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link CollectorServiceTest} against the packaged artifact: the runner jar in {@code mvn verify},
 * the native executable with {@code -Pnative} where GraalVM/Mandrel exists ({@code make native}).
 * The app runs as its own process on the test profile: loopback only, its state link pointed at a
 * port where nothing listens.
 */
@QuarkusIntegrationTest
class CollectorServiceIT extends CollectorServiceTest {}
