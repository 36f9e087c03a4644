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
import java.util.Collection;
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

    /** A person's calendar year, the key of the accumulators. */
    public record PersonYear(String psnNo, int year) {
    }

    /**
     * The registered persons among these, by psnNo, with account balance, certificates and chronic
     * registrations; an unregistered one is absent (CLM-03 INSURED_UNKNOWN). Two statements for a
     * whole group of settlements, pipelined.
     */
    public Uni<Map<String, Snapshots.Person>> persons(SqlClient db, Collection<String> psnNos) {
        if (psnNos.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] keys = psnNos.toArray(new String[0]);
        Uni<RowSet<Row>> personRows = db.preparedQuery("""
                        SELECT p.psn_no, p.insurance_type, p.region_code, p.status, p.card_lost, a.balance,
                               ARRAY(SELECT c.cert_no FROM person_cert c WHERE c.psn_no = p.psn_no) AS cert_nos
                        FROM person p LEFT JOIN account a ON a.psn_no = p.psn_no WHERE p.psn_no = ANY($1)""")
                .execute(Tuple.of(keys));
        Uni<RowSet<Row>> chronicRows = db.preparedQuery("""
                        SELECT psn_no, disease_code, valid_from, valid_to FROM chronic_registration
                        WHERE psn_no = ANY($1) ORDER BY psn_no, disease_code, valid_from""")
                .execute(Tuple.of(keys));
        return Uni.combine().all().unis(personRows, chronicRows).asTuple().map(t -> {
            Map<String, List<Snapshots.ChronicRegistration>> chronic = new HashMap<>();
            t.getItem2().forEach(c -> chronic.computeIfAbsent(c.getString("psn_no"), k -> new ArrayList<>())
                    .add(new Snapshots.ChronicRegistration(c.getString("disease_code"), c.getLocalDate("valid_from"),
                            c.getLocalDate("valid_to"))));
            Map<String, Snapshots.Person> out = new HashMap<>();
            for (Row r : t.getItem1()) {
                String psnNo = r.getString("psn_no");
                out.put(psnNo, new Snapshots.Person(psnNo,
                        Snapshots.InsuranceType.valueOf(r.getString("insurance_type")), r.getString("region_code"),
                        Snapshots.PersonStatus.valueOf(r.getString("status")), r.getBoolean("card_lost"),
                        Set.copyOf(List.of(r.getArrayOfStrings("cert_nos"))), r.getBigDecimal("balance"),
                        List.copyOf(chronic.getOrDefault(psnNo, List.of()))));
            }
            return out;
        });
    }

    /**
     * CLM-12: what each person's calendar year has used so far (zeros when nothing yet), for every
     * key asked. Two statements for a whole group, pipelined.
     */
    public Uni<Map<PersonYear, Snapshots.Accumulators>> accumulators(SqlClient db, Collection<PersonYear> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple args = Tuple.of(keys.stream().map(PersonYear::psnNo).distinct().toArray(String[]::new),
                keys.stream().map(PersonYear::year).distinct().toArray(Integer[]::new));
        Uni<RowSet<Row>> yearRows = db.preparedQuery("""
                        SELECT psn_no, year, pooling_deductible_used, pooling_fund_paid FROM accumulator
                        WHERE psn_no = ANY($1) AND year = ANY($2)""").execute(args);
        Uni<RowSet<Row>> chronicYearRows = db.preparedQuery("""
                        SELECT psn_no, year, disease_code, fund_paid FROM chronic_accumulator
                        WHERE psn_no = ANY($1) AND year = ANY($2)""").execute(args);
        return Uni.combine().all().unis(yearRows, chronicYearRows).asTuple().map(t -> {
            Map<PersonYear, Map<String, BigDecimal>> chronic = new HashMap<>();
            t.getItem2().forEach(c -> chronic.computeIfAbsent(new PersonYear(c.getString("psn_no"), c.getInteger("year")),
                    k -> new HashMap<>()).put(c.getString("disease_code"), c.getBigDecimal("fund_paid")));
            Map<PersonYear, Row> years = new HashMap<>();
            t.getItem1().forEach(r -> years.put(new PersonYear(r.getString("psn_no"), r.getInteger("year")), r));
            Map<PersonYear, Snapshots.Accumulators> out = new HashMap<>();
            for (PersonYear key : keys) { // only the pairs asked: ANY × ANY may return other years of these persons
                Row r = years.get(key);
                BigDecimal deductible = r == null ? BigDecimal.ZERO.setScale(2) : r.getBigDecimal("pooling_deductible_used");
                BigDecimal pooling = r == null ? BigDecimal.ZERO.setScale(2) : r.getBigDecimal("pooling_fund_paid");
                out.put(key, new Snapshots.Accumulators(key.year(), deductible, pooling,
                        Map.copyOf(chronic.getOrDefault(key, Map.of()))));
            }
            return out;
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

    /** The registered institutions among these, by code; an unregistered one is absent (CLM-06 RX_PRESCRIBER_NOT_DESIGNATED). */
    public Uni<Map<String, Snapshots.Institution>> institutions(SqlClient db, Collection<String> institutionCodes) {
        if (institutionCodes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("""
                        SELECT i.institution_code, i.designated,
                               ARRAY(SELECT ph.physician_code FROM physician ph WHERE ph.institution_code = i.institution_code) AS physicians
                        FROM institution i WHERE i.institution_code = ANY($1)""")
                .execute(Tuple.of(institutionCodes.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Snapshots.Institution> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("institution_code"), new Snapshots.Institution(r.getString("institution_code"),
                                r.getBoolean("designated"), Set.copyOf(List.of(r.getArrayOfStrings("physicians")))));
                    }
                    return out;
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
     * Every version, effective on or before {@code until}, of the policies of the regions these
     * sales can be settled in (the pharmacies' regions and the persons' regions: {@code
     * SnapshotLoader.policyRegion} picks one per sale), newest first per region. One statement that
     * needs no earlier answer, so it joins the pipeline of the other reads; {@link #inForce} then
     * picks each sale's version.
     */
    public Uni<Map<String, List<Snapshots.Policy>>> policyVersions(SqlClient db, Collection<String> pharmacyCodes,
                                                                   Collection<String> psnNos, LocalDate until) {
        return db.preparedQuery("""
                        SELECT region_code, effective_from, max_days_supply, max_days_supply_chronic, refill_threshold,
                               b_self_pay_ratio, account_covers_out_of_scope, outpatient_pooling_at_pharmacy,
                               hold_allows_settlement, max_rx_items, max_rx_valid_days,
                               benefits::text AS benefits, chronic_caps::text AS chronic_caps
                        FROM policy
                        WHERE region_code IN (SELECT ph.region_code FROM pharmacy ph WHERE ph.pharmacy_code = ANY($1)
                                              UNION SELECT pe.region_code FROM person pe WHERE pe.psn_no = ANY($2))
                          AND effective_from <= $3
                        ORDER BY region_code, effective_from DESC""")
                .execute(Tuple.of(pharmacyCodes.toArray(new String[0]), psnNos.toArray(new String[0]), until))
                .map(rows -> {
                    Map<String, List<Snapshots.Policy>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getString("region_code"), k -> new ArrayList<>()).add(policyOf(r)));
                    return out;
                });
    }

    /** The version in force on the date: the greatest effective_from on or before it (versions newest first); null if none. */
    public static Snapshots.Policy inForce(List<Snapshots.Policy> newestFirst, LocalDate date) {
        if (newestFirst != null) {
            for (Snapshots.Policy p : newestFirst) {
                if (!p.effectiveFrom().isAfter(date)) {
                    return p;
                }
            }
        }
        return null;
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
        return rows.size() == 0 ? null : policyOf(rows.iterator().next());
    }

    private static Snapshots.Policy policyOf(Row r) {
        return new Snapshots.Policy(r.getString("region_code"), r.getLocalDate("effective_from"),
                r.getInteger("max_days_supply"), r.getInteger("max_days_supply_chronic"),
                r.getBigDecimal("refill_threshold"), r.getBigDecimal("b_self_pay_ratio"),
                r.getBoolean("account_covers_out_of_scope"), r.getBoolean("outpatient_pooling_at_pharmacy"),
                r.getBoolean("hold_allows_settlement"), r.getInteger("max_rx_items"), r.getInteger("max_rx_valid_days"),
                PolicyJson.readBenefits(r.getString("benefits")), PolicyJson.readCaps(r.getString("chronic_caps")));
    }
}
