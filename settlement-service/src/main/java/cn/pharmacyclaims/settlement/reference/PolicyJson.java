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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

    /*
     * Parsing is a pure function of the text, and a region has a handful of policy versions: the
     * parsed rules are remembered by their text (not by region or date, so a new version is never
     * hidden). Bounded: cleared if ever it grows past MEMO_LIMIT distinct texts.
     */
    private static final int MEMO_LIMIT = 1_000;
    private static final Map<String, List<Snapshots.BenefitRule>> BENEFITS = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, BigDecimal>> CAPS = new ConcurrentHashMap<>();

    static List<Snapshots.BenefitRule> readBenefits(String json) {
        return memo(BENEFITS, json, PolicyJson::parseBenefits);
    }

    static Map<String, BigDecimal> readCaps(String json) {
        return memo(CAPS, json, PolicyJson::parseCaps);
    }

    private static <T> T memo(Map<String, T> memo, String json, Function<String, T> parse) {
        if (json == null) {
            return parse.apply(null);
        }
        T hit = memo.get(json);
        if (hit != null) {
            return hit;
        }
        T parsed = parse.apply(json);
        if (memo.size() >= MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(json, parsed);
        return parsed;
    }

    private static List<Snapshots.BenefitRule> parseBenefits(String json) {
        return read(json, new TypeReference<List<Benefit>>() {
        }).stream().map(b -> new Snapshots.BenefitRule(b.insuranceType(), b.benefit(), b.deductible(), b.ratio(), b.cap())).toList();
    }

    private static Map<String, BigDecimal> parseCaps(String json) {
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
