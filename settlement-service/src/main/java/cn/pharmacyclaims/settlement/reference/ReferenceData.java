package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads reference data as the adjudicator's snapshots, inside the caller's transaction (after the
 * person's account row is locked, so balance and accumulators are the latest committed, CLM-12).
 *
 * <p>Catalogue items and the policy in force per region and date come from a small cache when
 * {@code pc.settlement.cache.enabled} (see {@link SettlementConfig.Cache} for the staleness
 * bounds); person, accumulators and institution are always read in the transaction.
 */
@ApplicationScoped
public class ReferenceData {

    private record PolicyKey(String regionCode, LocalDate date) {
    }

    private final boolean cached;
    private final TtlCache<String, Snapshots.CatalogueItem> items;
    private final TtlCache<PolicyKey, Snapshots.Policy> policies;

    public ReferenceData(SettlementConfig config) {
        SettlementConfig.Cache c = config.cache();
        this.cached = c.enabled() && !c.ttl().isZero() && !c.ttl().isNegative();
        this.items = new TtlCache<>(c.ttl().toNanos(), c.maxEntries(), System::nanoTime);
        this.policies = new TtlCache<>(c.ttl().toNanos(), c.maxEntries(), System::nanoTime);
    }

    /** After a catalogue import committed (this instance): the next request reads the items again. */
    public void catalogueChanged() {
        items.invalidateAll();
    }

    /** After a policy import committed (this instance): the next request reads the policy again. */
    public void policiesChanged() {
        policies.invalidateAll();
    }

    /** Null when the person is not registered (CLM-03 INSURED_UNKNOWN). */
    public Uni<Snapshots.Person> person(SqlClient db, String psnNo) {
        if (psnNo == null) {
            return Uni.createFrom().nullItem();
        }
        // Both statements at once (pipelined on the connection), not one after the other.
        Uni<RowSet<Row>> personRows = db.preparedQuery("""
                        SELECT p.psn_no, p.insurance_type, p.region_code, p.status, p.card_lost, a.balance,
                               ARRAY(SELECT c.cert_no FROM person_cert c WHERE c.psn_no = p.psn_no) AS cert_nos
                        FROM person p LEFT JOIN account a ON a.psn_no = p.psn_no WHERE p.psn_no = $1""")
                .execute(Tuple.of(psnNo));
        Uni<RowSet<Row>> chronicRows = db.preparedQuery(
                        "SELECT disease_code, valid_from, valid_to FROM chronic_registration WHERE psn_no = $1 ORDER BY disease_code, valid_from")
                .execute(Tuple.of(psnNo));
        return Uni.combine().all().unis(personRows, chronicRows).asTuple().map(t -> {
            if (t.getItem1().size() == 0) {
                return null;
            }
            Row r = t.getItem1().iterator().next();
            List<Snapshots.ChronicRegistration> chronic = new ArrayList<>();
            t.getItem2().forEach(c -> chronic.add(new Snapshots.ChronicRegistration(c.getString("disease_code"),
                    c.getLocalDate("valid_from"), c.getLocalDate("valid_to"))));
            return new Snapshots.Person(r.getString("psn_no"),
                    Snapshots.InsuranceType.valueOf(r.getString("insurance_type")), r.getString("region_code"),
                    Snapshots.PersonStatus.valueOf(r.getString("status")), r.getBoolean("card_lost"),
                    Set.copyOf(List.of(r.getArrayOfStrings("cert_nos"))), r.getBigDecimal("balance"),
                    List.copyOf(chronic));
        });
    }

    /** CLM-12: what the person's calendar year has used so far (zeros when nothing yet). */
    public Uni<Snapshots.Accumulators> accumulators(SqlClient db, String psnNo, int year) {
        Uni<RowSet<Row>> yearRows = db.preparedQuery("SELECT pooling_deductible_used, pooling_fund_paid FROM accumulator WHERE psn_no = $1 AND year = $2")
                .execute(Tuple.of(psnNo, year));
        Uni<RowSet<Row>> chronicYearRows = db.preparedQuery("SELECT disease_code, fund_paid FROM chronic_accumulator WHERE psn_no = $1 AND year = $2")
                .execute(Tuple.of(psnNo, year));
        return Uni.combine().all().unis(yearRows, chronicYearRows).asTuple().map(t -> {
            Map<String, BigDecimal> chronic = new HashMap<>();
            t.getItem2().forEach(c -> chronic.put(c.getString("disease_code"), c.getBigDecimal("fund_paid")));
            BigDecimal deductible = BigDecimal.ZERO.setScale(2);
            BigDecimal pooling = BigDecimal.ZERO.setScale(2);
            if (t.getItem1().size() > 0) {
                Row r = t.getItem1().iterator().next();
                deductible = r.getBigDecimal("pooling_deductible_used");
                pooling = r.getBigDecimal("pooling_fund_paid");
            }
            return new Snapshots.Accumulators(year, deductible, pooling, Map.copyOf(chronic));
        });
    }

    /** The catalogue entries of the codes that exist (CLM-05: a missing code is unknown, and never cached). */
    public Uni<Map<String, Snapshots.CatalogueItem>> items(SqlClient db, Set<String> itemCodes) {
        if (itemCodes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        if (!cached) {
            return readItems(db, itemCodes);
        }
        Map<String, Snapshots.CatalogueItem> hits = new HashMap<>();
        Set<String> misses = new LinkedHashSet<>();
        for (String code : itemCodes) {
            Snapshots.CatalogueItem item = items.get(code);
            if (item != null) {
                hits.put(code, item);
            } else {
                misses.add(code);
            }
        }
        if (misses.isEmpty()) {
            return Uni.createFrom().item(Map.copyOf(hits));
        }
        TtlCache.Ticket ticket = items.ticket();
        return readItems(db, misses).map(read -> {
            read.forEach((code, item) -> items.put(ticket, code, item));
            hits.putAll(read);
            return Map.copyOf(hits);
        });
    }

    private Uni<Map<String, Snapshots.CatalogueItem>> readItems(SqlClient db, Set<String> itemCodes) {
        return db.preparedQuery("""
                        SELECT item_code, name, spec, item_class, rx, payment_standard, chronic_diseases
                        FROM catalogue_item WHERE item_code = ANY($1)""")
                .execute(Tuple.of(itemCodes.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Snapshots.CatalogueItem> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("item_code"), new Snapshots.CatalogueItem(r.getString("item_code"),
                            r.getString("name"), r.getString("spec"), Snapshots.ItemClass.valueOf(r.getString("item_class")),
                            r.getBoolean("rx"), r.getBigDecimal("payment_standard"),
                            Set.copyOf(List.of(r.getArrayOfStrings("chronic_diseases"))))));
                    return Map.copyOf(out);
                });
    }

    /** Null when the institution is not registered (CLM-06 RX_PRESCRIBER_NOT_DESIGNATED). */
    public Uni<Snapshots.Institution> institution(SqlClient db, String institutionCode) {
        if (institutionCode == null) {
            return Uni.createFrom().nullItem();
        }
        return db.preparedQuery("""
                        SELECT i.institution_code, i.designated,
                               ARRAY(SELECT ph.physician_code FROM physician ph WHERE ph.institution_code = i.institution_code) AS physicians
                        FROM institution i WHERE i.institution_code = $1""")
                .execute(Tuple.of(institutionCode))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Snapshots.Institution(r.getString("institution_code"), r.getBoolean("designated"),
                            Set.copyOf(List.of(r.getArrayOfStrings("physicians"))));
                });
    }

    /**
     * The region's policy in force on the date: the greatest effective_from on or before it. Read
     * per request (or from the cache, keyed by region and date, for at most the cache's TTL), so a
     * newly imported version applies from its date without a restart. A region without a policy
     * is never cached.
     */
    public Uni<Snapshots.Policy> policy(SqlClient db, String regionCode, LocalDate date) {
        if (regionCode == null) {
            return Uni.createFrom().nullItem();
        }
        if (!cached) {
            return readPolicy(db, regionCode, date);
        }
        PolicyKey key = new PolicyKey(regionCode, date);
        Snapshots.Policy hit = policies.get(key);
        if (hit != null) {
            return Uni.createFrom().item(hit);
        }
        TtlCache.Ticket ticket = policies.ticket();
        return readPolicy(db, regionCode, date).invoke(p -> policies.put(ticket, key, p));
    }

    /** Whether policies and items come from the (optional) cache: then the policy is read after the pharmacy. */
    public boolean cached() {
        return cached;
    }

    /**
     * The policy in force on the date in the region the sale is settled in (the pharmacy's, or the
     * person's when the pharmacy's copy has none: {@code SnapshotLoader.policyRegion}), in one
     * statement that needs no earlier answer, so it joins the pipeline of the other reads.
     */
    public Uni<Snapshots.Policy> policyForSale(SqlClient db, String pharmacyCode, String psnNo, LocalDate date) {
        return db.preparedQuery("""
                        SELECT region_code, effective_from, max_days_supply, max_days_supply_chronic, refill_threshold,
                               b_self_pay_ratio, account_covers_out_of_scope, outpatient_pooling_at_pharmacy,
                               hold_allows_settlement, max_rx_items, max_rx_valid_days,
                               benefits::text AS benefits, chronic_caps::text AS chronic_caps
                        FROM policy
                        WHERE region_code = COALESCE((SELECT ph.region_code FROM pharmacy ph WHERE ph.pharmacy_code = $1),
                                                     (SELECT pe.region_code FROM person pe WHERE pe.psn_no = $2))
                          AND effective_from <= $3
                        ORDER BY effective_from DESC LIMIT 1""")
                .execute(Tuple.of(pharmacyCode, psnNo, date))
                .map(ReferenceData::policyOf);
    }

    private Uni<Snapshots.Policy> readPolicy(SqlClient db, String regionCode, LocalDate date) {
        return db.preparedQuery("""
                        SELECT region_code, effective_from, max_days_supply, max_days_supply_chronic, refill_threshold,
                               b_self_pay_ratio, account_covers_out_of_scope, outpatient_pooling_at_pharmacy,
                               hold_allows_settlement, max_rx_items, max_rx_valid_days,
                               benefits::text AS benefits, chronic_caps::text AS chronic_caps
                        FROM policy WHERE region_code = $1 AND effective_from <= $2
                        ORDER BY effective_from DESC LIMIT 1""")
                .execute(Tuple.of(regionCode, date))
                .map(ReferenceData::policyOf);
    }

    private static Snapshots.Policy policyOf(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Snapshots.Policy(r.getString("region_code"), r.getLocalDate("effective_from"),
                r.getInteger("max_days_supply"), r.getInteger("max_days_supply_chronic"),
                r.getBigDecimal("refill_threshold"), r.getBigDecimal("b_self_pay_ratio"),
                r.getBoolean("account_covers_out_of_scope"), r.getBoolean("outpatient_pooling_at_pharmacy"),
                r.getBoolean("hold_allows_settlement"), r.getInteger("max_rx_items"), r.getInteger("max_rx_valid_days"),
                PolicyJson.readBenefits(r.getString("benefits")), PolicyJson.readCaps(r.getString("chronic_caps")));
    }
}
