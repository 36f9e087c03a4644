package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSONB shape of a policy's benefit rules and chronic caps (amounts as strings, like every payload). */
final class PolicyJson {
    private PolicyJson() {
    }

    record Benefit(Snapshots.InsuranceType insuranceType, Snapshots.BenefitKind benefit, BigDecimal deductible,
                   BigDecimal ratio, BigDecimal cap) {
    }

    record Cap(String diseaseCode, BigDecimal cap) {
    }

    static List<Benefit> benefits(List<Snapshots.BenefitRule> rules) {
        return rules.stream().map(b -> new Benefit(b.insuranceType(), b.benefit(), b.deductible(), b.ratio(), b.cap())).toList();
    }

    static List<Cap> caps(List<ReferenceRecords.ChronicCap> caps) {
        return caps.stream().map(c -> new Cap(c.diseaseCode(), c.cap())).toList();
    }

    static List<Snapshots.BenefitRule> readBenefits(String json) {
        return read(json, new TypeReference<List<Benefit>>() {
        }).stream().map(b -> new Snapshots.BenefitRule(b.insuranceType(), b.benefit(), b.deductible(), b.ratio(), b.cap())).toList();
    }

    static Map<String, BigDecimal> readCaps(String json) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        read(json, new TypeReference<List<Cap>>() {
        }).forEach(c -> out.put(c.diseaseCode(), c.cap()));
        return Collections.unmodifiableMap(out); // shared by the cache between requests

    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
