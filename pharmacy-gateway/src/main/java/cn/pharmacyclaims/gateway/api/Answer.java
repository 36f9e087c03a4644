package cn.pharmacyclaims.gateway.api;

import jakarta.ws.rs.core.Response;

/** An HTTP answer to a POS and the outcome it is counted under ({@code pc.gateway.requests{outcome}}). */
public record Answer(Response response, String outcome) {
}
