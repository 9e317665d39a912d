package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict walk catches what plain fabric8 parsing lets through. */
class StrictModelTest {
  @Test
  void misspeltAndMisplacedFieldsAreReportedWithTheirPath() {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          selector:
            matchLabels: {a: b}
          template:
            spec:
              readOnlyRootFilesystem: true
              containers:
                - name: c
                  image: i
                  readinessprobe:
                    httpGet: {path: /q/health/ready, port: http}
        """;
    assertEquals(
        List.of(
            "Deployment/x.spec.template.spec.containers[0]: [readinessprobe]",
            "Deployment/x.spec.template.spec: [readOnlyRootFilesystem]"),
        StrictModel.unknownFields(StrictModel.parse(yaml)).stream().sorted().toList());
  }

  @Test
  void typeErrorsThrow() {
    String yaml =
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: x
        spec:
          ports:
            - port: not-a-number
        """;
    assertThrows(RuntimeException.class, () -> StrictModel.parse(yaml));
  }
}
