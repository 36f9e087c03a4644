package cn.pharmacyclaims.settlement;

import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class InfraSmokeTest {
    @Inject
    Pool pool;

    @Test
    void readyWithPlatformTables() {
        given().get("/q/health/ready").then().statusCode(200);
        long n = pool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('outbox','processed_message')")
                .execute().await().indefinitely().iterator().next().getLong("n");
        assertThat(n).isEqualTo(2);
    }
}
