package cn.pharmacyclaims.gateway.query;

import cn.pharmacyclaims.gateway.api.Answer;
import cn.pharmacyclaims.platform.web.Problem;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class QueryAnswersTest {
    @Test
    void okAndNotFoundPassThrough() {
        Answer ok = QueryAnswers.fromUpstream(200, "{\"setlId\":\"S-1\"}", "application/json", "/p");
        assertThat(ok.response().getStatus()).isEqualTo(200);
        assertThat(ok.response().getEntity()).isEqualTo("{\"setlId\":\"S-1\"}");

        Answer missing = QueryAnswers.fromUpstream(404, "{\"status\":404,\"title\":\"Not found\"}", "application/problem+json", "/p");
        assertThat(missing.response().getStatus()).isEqualTo(404);
        assertThat(missing.response().getEntity()).isEqualTo("{\"status\":404,\"title\":\"Not found\"}");

        Answer bare = QueryAnswers.fromUpstream(404, null, null, "/p");
        assertThat(bare.response().getStatus()).isEqualTo(404);
        assertThat(bare.response().getEntity()).isInstanceOf(Problem.class);
    }

    @Test
    void anyOtherUpstreamStatusIs502() {
        Answer a = QueryAnswers.fromUpstream(500, "boom", "text/plain", "/p");
        assertThat(a.response().getStatus()).isEqualTo(502);
        assertThat(a.outcome()).isEqualTo("upstream_error");
        assertThat(QueryAnswers.fromUpstream(401, null, null, "/p").response().getStatus()).isEqualTo(502);
    }

    @Test
    void settlementUnreachableIs503WithRetryAfter() {
        Answer a = QueryAnswers.unreachable(new ConnectException("refused"), "/p", 3);
        assertThat(a.response().getStatus()).isEqualTo(503);
        assertThat(a.response().getHeaderString("Retry-After")).isEqualTo("3");
        assertThat(((Problem) a.response().getEntity()).code()).isEqualTo("SETTLEMENT_UNAVAILABLE");
    }
}
