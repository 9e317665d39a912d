package io.routewatch.state;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.routewatch.pg.PostgresTestResource;

/**
 * {@link StateServiceTest} against the packaged artifact: the runner jar in {@code mvn verify}, the
 * native executable with {@code -Pnative} where GraalVM/Mandrel exists ({@code make native}). The
 * app runs as its own process on the test profile (loopback only), on a real PostgreSQL that this
 * JVM starts and stops under it.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class StateServiceIT extends StateServiceTest {}
