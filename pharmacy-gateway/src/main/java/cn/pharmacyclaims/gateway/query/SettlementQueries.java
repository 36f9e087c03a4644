package cn.pharmacyclaims.gateway.query;

import cn.pharmacyclaims.gateway.api.Answer;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** Forwards the POS's GETs to settlement-service, scoped to the signing terminal's pharmacy (SEC-02). */
@Singleton
public class SettlementQueries {
    private static final Logger LOG = Logger.getLogger(SettlementQueries.class);

    private final SettlementQueryClient client;
    private final int retryAfterSeconds;

    public SettlementQueries(@RestClient SettlementQueryClient client, GatewayConfig config) {
        this.client = client;
        this.retryAfterSeconds = config.retryAfterSeconds();
    }

    public Uni<Answer> bySetlId(String setlId, String pharmacyCode, String instance) {
        return forward(Uni.createFrom().deferred(() -> client.bySetlId(setlId, pharmacyCode)), instance);
    }

    public Uni<Answer> byMsgId(String msgId, String pharmacyCode, String instance) {
        return forward(Uni.createFrom().deferred(() -> client.byMsgId(msgId, pharmacyCode)), instance);
    }

    private Uni<Answer> forward(Uni<Response> call, String instance) {
        return call.map(r -> answer(r, instance))
                // an error status may come back as an exception carrying the response, depending on the
                // client's exception-mapper settings: it is still settlement's answer, not an outage
                .onFailure(WebApplicationException.class)
                .recoverWithItem(e -> answer(((WebApplicationException) e).getResponse(), instance))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("settlement query failed: %s", e.toString());
                    return QueryAnswers.unreachable(e, instance, retryAfterSeconds);
                });
    }

    private static Answer answer(Response r, String instance) {
        try (r) {
            String body = r.hasEntity() ? r.readEntity(String.class) : null;
            return QueryAnswers.fromUpstream(r.getStatus(), body, r.getHeaderString(HttpHeaders.CONTENT_TYPE), instance);
        }
    }
}
