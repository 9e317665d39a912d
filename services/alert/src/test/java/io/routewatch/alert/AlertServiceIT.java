package io.routewatch.alert;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.routewatch.pg.PostgresTestResource;

/**
 * {@link AlertServiceTest} against the packaged artifact: the runner jar in {@code mvn verify}, the
 * native executable with {@code -Pnative} where GraalVM/Mandrel exists ({@code make native}). The
 * app runs as its own process on the test profile (loopback only, no state to follow), on a real
 * PostgreSQL that this JVM starts.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
class AlertServiceIT extends AlertServiceTest {}
