package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.gateway.command.CommandDispatcher;
import cn.pharmacyclaims.gateway.command.Commands;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.query.SettlementQueries;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.reply.ReplyAnswers;
import cn.pharmacyclaims.gateway.validation.CommandBodyValidator;
import cn.pharmacyclaims.platform.web.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * POS-API.md §1, the only POS-facing door. Every method reads the raw body bytes itself (the
 * signature covers the exact bytes) and hands them to {@link PosGate} for SEC-01; the body is
 * parsed only after the gate. Commands go to settlement over Kafka and wait for its reply; GETs are
 * forwarded to settlement's query API, scoped to the terminal's own pharmacy (SEC-02).
 */
@Path("/api/v1")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "POS settlement", description = "Signed calls from pharmacy POS terminals (SEC-01)")
@SecurityScheme(securitySchemeName = "pos-signature", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = PosSignature.HEADER_SIGNATURE,
        description = "Base64(HMAC-SHA256(terminal secret, METHOD \\n PATH \\n X-Timestamp \\n X-Nonce \\n hex(SHA-256(body)))); "
                + "PATH excludes the query string. Also required: X-Terminal-Id, X-Timestamp (ISO-8601, within 5 minutes), "
                + "X-Nonce (at least 16 characters, never reused).")
@SecurityRequirement(name = "pos-signature")
@APIResponse(responseCode = "401", description = "missing or bad signature headers, unknown or revoked terminal, stale timestamp, replayed nonce",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "429", description = "terminal over its rate",
        headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "overloaded, starting, or settlement unreachable",
        headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class PosSettlementResource {
    private final PosGate gate;
    private final Commands commands;
    private final CommandDispatcher dispatcher;
    private final SettlementQueries queries;
    private final CommandBodyValidator ids = new CommandBodyValidator();
    private final int retryAfterSeconds;

    public PosSettlementResource(PosGate gate, Commands commands, CommandDispatcher dispatcher, SettlementQueries queries,
                                 GatewayConfig config) {
        this.gate = gate;
        this.commands = commands;
        this.dispatcher = dispatcher;
        this.queries = queries;
        this.retryAfterSeconds = config.retryAfterSeconds();
    }

    @POST
    @Path("/settlements/preview")
    @Operation(summary = "Preview a settlement (2101 预结算, CLM-13)",
            description = "Computes exactly what settlement would and changes nothing. Not recorded: a preview that takes "
                    + "longer than the wait budget answers 503 to retry.")
    @APIResponse(responseCode = "200", description = "the computed split (status PREVIEWED) or the rejection",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "400", description = "malformed body; every bad field named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "terminal not registered to the body's pharmacyCode",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "body over 64 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Content-Type is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> preview(@Context HttpServerRequest request, @BeanParam PosHeaders headers,
                                 @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                         schema = @Schema(implementation = SettlementRequest.class))) byte[] body) {
        return purchase(PosOperation.PREVIEW, request, headers, body);
    }

    @POST
    @Path("/settlements")
    @Operation(summary = "Settle a purchase (2102 结算)",
            description = "CLM-01: a repeated msgId answers the original result; the same msgId with another body is 409. "
                    + "Past the wait budget the answer is 202 PENDING with a Location to poll.")
    @APIResponse(responseCode = "200", description = "SETTLED or REJECTED (with reject codes)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "202", description = "no decision within the wait budget: status PENDING; poll the Location or reverse",
            headers = @Header(name = "Location", description = "/api/v1/settlements?msgId=...", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "400", description = "malformed body; every bad field named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "terminal not registered to the body's pharmacyCode",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "DUPLICATE_MSG_ID_CONFLICT: same msgId, different body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "body over 64 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Content-Type is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> settle(@Context HttpServerRequest request, @BeanParam PosHeaders headers,
                                @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = SettlementRequest.class))) byte[] body) {
        return purchase(PosOperation.SETTLE, request, headers, body);
    }

    @POST
    @Path("/settlements/{setlId}/cancel")
    @Operation(summary = "Cancel a same-day settlement (2103 撤销, CLM-14)",
            description = "Idempotent by setlId. The pharmacy is the one the terminal is registered to. Optional body "
                    + "{\"msgId\": \"...\", \"operatorId\": \"...\"}.")
    @APIResponse(responseCode = "200", description = "the settlement, now CANCELLED, or a rejection (CANCEL_NOT_ALLOWED)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "202", description = "no answer within the wait budget: PENDING; poll the Location",
            headers = @Header(name = "Location", description = "/api/v1/settlements/{setlId}", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "400", description = "malformed setlId or body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such settlement for this pharmacy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "a body that is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> cancel(@Context HttpServerRequest request, @BeanParam PosHeaders headers,
                                @PathParam("setlId") String setlId,
                                @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = CancelBody.class))) byte[] body) {
        PosCall call = PosCall.of(request, headers, body);
        return gate.handle(PosOperation.CANCEL, call, admitted -> {
            SettlementCommand command = commands.cancel(admitted.terminal(), setlId, admitted.bodyHash(), admitted.body());
            return dispatch(command, call);
        });
    }

    @POST
    @Path("/reversals")
    @Operation(summary = "Reverse a purchase by its msgId after a timeout (2601 冲正, CLM-15)",
            description = "If the original settled, it is cancelled; if it has not arrived yet, it will be rejected "
                    + "(REVERSED_BEFORE_ARRIVAL). Idempotent. A late answer is 202 with a Location polling the original msgId.")
    @APIResponse(responseCode = "200", description = "the original purchase's result after the reversal",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "202", description = "no answer within the wait budget: PENDING; poll the Location",
            headers = @Header(name = "Location", description = "/api/v1/settlements?msgId={originalMsgId}", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "400", description = "malformed body; every bad field named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "originalMsgId belongs to another pharmacy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "body over 64 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Content-Type is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> reverse(@Context HttpServerRequest request, @BeanParam PosHeaders headers,
                                 @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                         schema = @Schema(implementation = ReversalBody.class))) byte[] body) {
        PosCall call = PosCall.of(request, headers, body);
        return gate.handle(PosOperation.REVERSE, call, admitted -> {
            SettlementCommand command = commands.reversal(admitted.terminal(), admitted.bodyHash(), admitted.body());
            return dispatch(command, call);
        });
    }

    @GET
    @Path("/settlements/{setlId}")
    @Operation(summary = "The current result of a settlement",
            description = "Answered by settlement-service; a pharmacy sees only its own settlements (SEC-02).")
    @APIResponse(responseCode = "200", description = "the current result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "400", description = "malformed setlId",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such settlement for this pharmacy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "settlement answered with an error",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> bySetlId(@Context HttpServerRequest request, @BeanParam PosHeaders headers,
                                  @PathParam("setlId") String setlId) {
        PosCall call = PosCall.of(request, headers, null);
        return gate.handle(PosOperation.GET_BY_SETL_ID, call, admitted -> {
            requireValid(ids.setlId(setlId));
            return queries.bySetlId(setlId, admitted.terminal().pharmacyCode(), call.path());
        });
    }

    @GET
    @Path("/settlements")
    @Operation(summary = "The current result of a purchase by its msgId",
            description = "The Location of a 202 PENDING answer. Answered by settlement-service; a pharmacy sees only its "
                    + "own settlements (SEC-02). The signed PATH excludes the query string.")
    @APIResponse(responseCode = "200", description = "the current result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SettlementResult.class)))
    @APIResponse(responseCode = "400", description = "missing or malformed msgId",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such purchase for this pharmacy (not arrived yet, or never)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "settlement answered with an error",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> byMsgId(@Context HttpServerRequest request, @BeanParam PosHeaders headers,
                                 @Parameter(description = "the purchase's msgId", required = true) @QueryParam("msgId") String msgId) {
        PosCall call = PosCall.of(request, headers, null);
        return gate.handle(PosOperation.GET_BY_MSG_ID, call, admitted -> {
            requireValid(ids.queryMsgId(msgId));
            return queries.byMsgId(msgId, admitted.terminal().pharmacyCode(), call.path());
        });
    }

    private Uni<Response> purchase(PosOperation op, HttpServerRequest request, PosHeaders headers, byte[] body) {
        PosCall call = PosCall.of(request, headers, body);
        return gate.handle(op, call, admitted -> {
            SettlementCommand command = commands.purchase(op.commandType(), admitted.terminal(), admitted.bodyHash(), admitted.body());
            return dispatch(command, call);
        });
    }

    private Uni<Answer> dispatch(SettlementCommand command, PosCall call) {
        return dispatcher.dispatch(command).map(reply -> ReplyAnswers.of(command, reply, call.path(), retryAfterSeconds));
    }

    private static void requireValid(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw Refusal.invalid(errors);
        }
    }

    /** OpenAPI shape of the optional cancel body. */
    @Schema(name = "CancelBody")
    public record CancelBody(@Schema(description = "optional, 30 characters, starts with the pharmacy code") String msgId,
                             String operatorId) {
    }

    /** OpenAPI shape of the reversal body. */
    @Schema(name = "ReversalBody")
    public record ReversalBody(@Schema(required = true) String msgId, @Schema(required = true) String originalMsgId) {
    }
}
