package io.routewatch.collector.mrt;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** {@code POST/GET /api/v1/imports}: the REST face of the same job registry as gRPC. */
@QuarkusTest
@TestProfile(MrtWatcherTest.Watching.class) // shares the app of MrtWatcherTest (no extra start)
class ImportResourceTest {
  static final String DATA = ImportSafetyResource.data();
  static final String FILE = DATA + "/mrt/ripe-bgpdump/updates.20020722.2238.gz";

  @Test
  void startListAndGetAJob() {
    String id =
        given()
            .contentType(ContentType.JSON)
            .body("{\"path\": \"" + FILE + "\", \"collector\": \"rrc00\"}")
            .when()
            .post("/api/v1/imports")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/imports/imp-"))
            .body("path", equalTo(FILE))
            .body("streamId", startsWith("rrc00/updates.20020722.2238.gz/"))
            .body("bytesTotal", equalTo("13576")) // uint64: a string in proto3 JSON
            .extract()
            .path("id");
    given().when().get("/api/v1/imports").then().statusCode(200).body("jobs.id", hasItem(id));
    given().when().get("/api/v1/imports/" + id).then().statusCode(200).body("id", equalTo(id));
  }

  @Test
  void badRequestsAreExplained() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"path\": \"" + DATA + "/mrt/none.mrt\"}")
        .when()
        .post("/api/v1/imports")
        .then()
        .statusCode(400)
        .body("error", containsString("not a readable file"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"path\": \"" + FILE + "\", \"speed\": -1}")
        .when()
        .post("/api/v1/imports")
        .then()
        .statusCode(400)
        .body("error", containsString("speed"));
    given()
        .when()
        .get("/api/v1/imports/imp-999999")
        .then()
        .statusCode(404)
        .body("error", containsString("imp-999999"));
  }
}
