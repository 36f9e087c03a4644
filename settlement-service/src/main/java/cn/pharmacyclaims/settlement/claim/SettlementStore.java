package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.platform.db.ColumnArrays;
import cn.pharmacyclaims.platform.db.Pipeline;
import cn.pharmacyclaims.settlement.adjudication.Adjudication;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The settlement tables, in explicit SQL; every method runs inside the caller's transaction. */
@ApplicationScoped
public class SettlementStore {

    private static final String SELECT_SETTLEMENT = """
            SELECT s.setl_id, s.msg_id, s.body_hash, s.psn_no, s.pharmacy_code, s.terminal_id, s.region_code, s.operator_id,
                   s.status, s.occurred_at, s.sale_date, s.account_pay, s.pooling_deductible_used, s.pooling_fund_paid,
                   s.chronic_fund_paid::text AS chronic_fund_paid, s.declared, s.request_json, s.result_json,
                   c.result_json AS undo_result_json
            FROM settlement s LEFT JOIN settlement_cancellation c ON c.setl_id = s.setl_id
            """;

    /**
     * CLM-01 / CLM-15: serialises everything done to one msgId (its settle, its reversal, their
     * redeliveries), across partitions and instances: insert the claim row if absent, then lock it.
     * The second transaction waits here until the first commits, then sees its rows.
     *
     * <p>One statement, so that it can lead a pipeline of reads: inserting the row, or (on conflict)
     * updating it, both lock it, and a concurrent inserter waits on the unique index until the
     * first commits. The statements pipelined after it run only once it holds the lock, each with a
     * fresh snapshot (READ COMMITTED), so they see what the previous holder committed.
     */
    public Uni<Void> claimMsgId(SqlClient tx, String msgId) {
        return claimMsgIds(tx, List.of(msgId));
    }

    /**
     * {@link #claimMsgId} for a group of settlements in one statement. The rows are claimed in
     * msgId order, so two transactions claiming overlapping sets never wait on each other in a cycle.
     */
    public Uni<Void> claimMsgIds(SqlClient tx, Collection<String> msgIds) {
        String[] sorted = msgIds.stream().sorted().toArray(String[]::new);
        return tx.preparedQuery("""
                        INSERT INTO msg_claim (msg_id) SELECT m FROM unnest($1::text[]) AS m ORDER BY m
                        ON CONFLICT (msg_id) DO UPDATE SET msg_id = EXCLUDED.msg_id""")
                .execute(Tuple.of((Object) sorted))
                .replaceWithVoid();
    }

    /**
     * CLM-12: locks the persons' account rows (in psnNo order, the same in every transaction); every
     * later read of their balances and accumulators is current.
     */
    public Uni<Void> lockAccounts(SqlClient tx, Collection<String> psnNos) {
        if (psnNos.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("SELECT psn_no FROM account WHERE psn_no = ANY($1) ORDER BY psn_no FOR UPDATE")
                .execute(Tuple.of((Object) psnNos.toArray(new String[0]))).replaceWithVoid();
    }

    public Uni<StoredSettlement> byMsgId(SqlClient tx, String msgId, boolean forUpdate) {
        return tx.preparedQuery(SELECT_SETTLEMENT + " WHERE s.msg_id = $1" + (forUpdate ? " FOR UPDATE OF s" : ""))
                .execute(Tuple.of(msgId))
                .map(rows -> rows.size() == 0 ? null : stored(rows.iterator().next()));
    }

    public Uni<StoredSettlement> bySetlId(SqlClient tx, String setlId, boolean forUpdate) {
        return tx.preparedQuery(SELECT_SETTLEMENT + " WHERE s.setl_id = $1" + (forUpdate ? " FOR UPDATE OF s" : ""))
                .execute(Tuple.of(setlId))
                .map(rows -> rows.size() == 0 ? null : stored(rows.iterator().next()));
    }

    /** CLM-01: the settlements already recorded under these msgIds, by msgId. */
    public Uni<Map<String, StoredSettlement>> byMsgIds(SqlClient tx, Collection<String> msgIds) {
        return tx.preparedQuery(SELECT_SETTLEMENT + " WHERE s.msg_id = ANY($1)")
                .execute(Tuple.of((Object) msgIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, StoredSettlement> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("msg_id"), stored(r)));
                    return out;
                });
    }

    /** CLM-15: the pharmacy that reversed each of these msgIds before it arrived, by msgId (absent: not reversed). */
    public Uni<Map<String, String>> reversalMarkers(SqlClient tx, Collection<String> originalMsgIds) {
        return tx.preparedQuery("SELECT original_msg_id, pharmacy_code FROM reversal_marker WHERE original_msg_id = ANY($1)")
                .execute(Tuple.of((Object) originalMsgIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, String> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("original_msg_id"), r.getString("pharmacy_code")));
                    return out;
                });
    }

    /** The marker and when it was recorded, for the query API (a reversed msgId that never arrived). */
    public Uni<Row> reversalMarkerRow(SqlClient db, String originalMsgId) {
        return db.preparedQuery("SELECT original_msg_id, pharmacy_code, created_at FROM reversal_marker WHERE original_msg_id = $1")
                .execute(Tuple.of(originalMsgId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    }

    /** Idempotent: answers whether this call recorded the marker. */
    public Uni<Boolean> insertReversalMarker(SqlClient tx, SettlementCommand.ReversalRequest r, String commandId) {
        return tx.preparedQuery("""
                        INSERT INTO reversal_marker (original_msg_id, reversal_msg_id, pharmacy_code, command_id)
                        VALUES ($1, $2, $3, $4) ON CONFLICT (original_msg_id) DO NOTHING""")
                .execute(Tuple.of(r.originalMsgId(), r.msgId(), r.pharmacyCode(), commandId))
                .map(rs -> rs.rowCount() == 1);
    }

    /**
     * Inserts decided settlements and then all their lines: one statement each for the whole group,
     * the rows as column arrays ({@link ColumnArrays}, step 26).
     */
    public Uni<Void> insertAll(SqlClient tx, List<NewSettlement> settlements) {
        if (settlements.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ColumnArrays rows = ColumnArrays.of(String.class, String.class, String.class, String.class, String.class, String.class,
                String.class, String.class, String.class, String.class, OffsetDateTime.class, LocalDate.class,
                BigDecimal.class, BigDecimal.class, BigDecimal.class, BigDecimal.class, BigDecimal.class, BigDecimal.class,
                BigDecimal.class, BigDecimal.class, BigDecimal.class, BigDecimal.class, String.class, String.class,
                String.class, String.class, OffsetDateTime.class);
        ColumnArrays lines = ColumnArrays.of(String.class, Integer.class, Integer.class, String.class, String.class, String.class,
                String.class, BigDecimal.class, BigDecimal.class, Integer.class, String.class, String.class,
                BigDecimal.class, BigDecimal.class, BigDecimal.class, BigDecimal.class, BigDecimal.class, BigDecimal.class,
                String.class, BigDecimal.class, BigDecimal.class);
        for (NewSettlement s : settlements) {
            addSettlement(rows, s);
            s.lines().forEach(l -> addLine(lines, s.setlId(), l));
        }
        Uni<Void> settlementRows = tx.preparedQuery("""
                        INSERT INTO settlement (setl_id, msg_id, body_hash, command_id, psn_no, pharmacy_code, terminal_id,
                            region_code, operator_id, status, occurred_at, sale_date, total, over_limit, out_of_scope,
                            self_pay_first, fund_pay, account_pay, cash_pay, account_balance_after, pooling_deductible_used,
                            pooling_fund_paid, chronic_fund_paid, reject_codes, request_json, result_json, settled_at)
                        SELECT setl_id, msg_id, body_hash, command_id, psn_no, pharmacy_code, terminal_id, region_code,
                            operator_id, status, occurred_at, sale_date, total, over_limit, out_of_scope, self_pay_first,
                            fund_pay, account_pay, cash_pay, account_balance_after, pooling_deductible_used, pooling_fund_paid,
                            chronic_fund_paid::jsonb, string_to_array(reject_codes, ','), request_json, result_json, settled_at
                        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::date[], $13::numeric[], $14::numeric[],
                            $15::numeric[], $16::numeric[], $17::numeric[], $18::numeric[], $19::numeric[], $20::numeric[],
                            $21::numeric[], $22::numeric[], $23::text[], $24::text[], $25::text[], $26::text[],
                            $27::timestamptz[])
                        AS u(setl_id, msg_id, body_hash, command_id, psn_no, pharmacy_code, terminal_id, region_code,
                            operator_id, status, occurred_at, sale_date, total, over_limit, out_of_scope, self_pay_first,
                            fund_pay, account_pay, cash_pay, account_balance_after, pooling_deductible_used, pooling_fund_paid,
                            chronic_fund_paid, reject_codes, request_json, result_json, settled_at)""")
                .execute(rows.tuple()).replaceWithVoid();
        if (lines.isEmpty()) {
            return settlementRows;
        }
        return Pipeline.all(settlementRows, tx.preparedQuery("""
                        INSERT INTO settlement_line (setl_id, seq, line_no, item_code, item_name, spec, item_class, quantity,
                            unit_price, days_supply, rx_no, pharmacist_licence, amount, over_limit, out_of_scope, self_pay_first,
                            eligible, fund_pay, benefit, account_pay, cash_pay)
                        SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::numeric[], $9::numeric[], $10::int[], $11::text[], $12::text[], $13::numeric[], $14::numeric[],
                            $15::numeric[], $16::numeric[], $17::numeric[], $18::numeric[], $19::text[], $20::numeric[],
                            $21::numeric[])""")
                .execute(lines.tuple()));
    }

    private static void addSettlement(ColumnArrays rows, NewSettlement s) {
        SettlementResult.Totals t = s.totals();
        Adjudication.AccumulatorDelta d = s.delta();
        rows.add(s.setlId(), s.msgId(), s.bodyHash(), s.commandId(), s.psnNo(), s.pharmacyCode(), s.terminalId(),
                s.regionCode(), s.operatorId(), s.status().name(), s.occurredAt(), s.saleDate(),
                t == null ? null : t.total(), t == null ? null : t.overLimit(), t == null ? null : t.outOfScope(),
                t == null ? null : t.selfPayFirst(), t == null ? null : t.fundPay(), t == null ? null : t.accountPay(),
                t == null ? null : t.cashPay(), s.accountBalanceAfter(),
                d == null ? null : d.poolingDeductibleUsed(), d == null ? null : d.poolingFundPaid(),
                d == null ? null : Json.write(d.chronicFundPaid() == null ? Map.of() : d.chronicFundPaid()),
                rejectCodes(s.rejectCodes()), s.requestJson(), s.resultJson(), s.settledAt());
    }

    /** The reject codes as one comma-separated text (an array of arrays cannot be unnested per row); codes are enum names. */
    static String rejectCodes(List<String> codes) {
        for (String code : codes) {
            if (code.isEmpty() || code.indexOf(',') >= 0) {
                throw new IllegalArgumentException("reject code '" + code + "' cannot be stored");
            }
        }
        return String.join(",", codes);
    }

    private static void addLine(ColumnArrays lines, String setlId, LineRow l) {
        SettlementResult.LineResult f = l.figures();
        lines.add(setlId, l.seq(), l.lineNo(), l.itemCode(), l.itemName(), l.spec(), l.itemClass(),
                l.quantity(), l.unitPrice(), l.daysSupply(), l.rxNo(), l.pharmacistLicence(),
                f == null ? null : f.amount(), f == null ? null : f.overLimit(), f == null ? null : f.outOfScope(),
                f == null ? null : f.selfPayFirst(), f == null ? null : f.eligible(), f == null ? null : f.fundPay(),
                f == null || f.benefit() == null ? null : f.benefit().name(), f == null ? null : f.accountPay(),
                f == null ? null : f.cashPay());
    }

    public Uni<List<LineRow>> lines(SqlClient db, String setlId) {
        return db.preparedQuery("SELECT * FROM settlement_line WHERE setl_id = $1 ORDER BY seq")
                .execute(Tuple.of(setlId))
                .map(rows -> {
                    List<LineRow> out = new ArrayList<>();
                    for (Row r : rows) {
                        SettlementResult.LineResult f = r.getBigDecimal("amount") == null ? null
                                : new SettlementResult.LineResult(r.getInteger("line_no"), r.getBigDecimal("amount"),
                                r.getBigDecimal("over_limit"), r.getBigDecimal("out_of_scope"), r.getBigDecimal("self_pay_first"),
                                r.getBigDecimal("eligible"), r.getBigDecimal("fund_pay"),
                                r.getString("benefit") == null ? null : SettlementResult.Benefit.valueOf(r.getString("benefit")),
                                r.getBigDecimal("account_pay"), r.getBigDecimal("cash_pay"));
                        out.add(new LineRow(r.getInteger("seq"), r.getInteger("line_no"), r.getString("item_code"),
                                r.getString("item_name"), r.getString("spec"), r.getString("item_class"), r.getBigDecimal("quantity"),
                                r.getBigDecimal("unit_price"), r.getInteger("days_supply"), r.getString("rx_no"),
                                r.getString("pharmacist_licence"), f));
                    }
                    return out;
                });
    }

    /** An account payment to take: the person, the amount, and the balance the adjudicator computed after it. */
    public record Debit(String psnNo, BigDecimal amount, BigDecimal expectedAfter) {
    }

    /**
     * CLM-12: takes the settlements' account payments from the locked rows in one statement and
     * checks each result against the adjudicator's balance after; the CHECK (balance >= 0) is the
     * last line of defence. The group's persons are distinct (one person's commands run one after
     * the other); a person twice would be debited once by an UPDATE ... FROM, so that is refused
     * and the group's transaction fails (its commands then run one by one).
     */
    public Uni<Void> debitAccounts(SqlClient tx, List<Debit> debits) {
        List<Debit> real = debits.stream().filter(d -> d.amount() != null && d.amount().signum() != 0).toList();
        if (real.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Debit> byPerson = new HashMap<>();
        ColumnArrays rows = ColumnArrays.of(String.class, BigDecimal.class);
        for (Debit d : real) {
            if (byPerson.put(d.psnNo(), d) != null) {
                return Uni.createFrom().failure(new IllegalStateException("person " + d.psnNo() + " debited twice in one group"));
            }
            rows.add(d.psnNo(), d.amount());
        }
        return tx.preparedQuery("""
                        UPDATE account a SET balance = a.balance - u.amount, updated_at = now()
                        FROM unnest($1::text[], $2::numeric[]) AS u(psn_no, amount)
                        WHERE a.psn_no = u.psn_no RETURNING a.psn_no, a.balance""")
                .execute(rows.tuple())
                .map(rs -> {
                    for (Row r : rs) {
                        Debit d = byPerson.remove(r.getString("psn_no"));
                        BigDecimal after = r.getBigDecimal("balance");
                        if (d != null && d.expectedAfter() != null && after.compareTo(d.expectedAfter()) != 0) {
                            throw new IllegalStateException("account balance after debit " + after + " differs from the adjudicated "
                                    + d.expectedAfter());
                        }
                    }
                    if (!byPerson.isEmpty()) {
                        Debit d = byPerson.values().iterator().next();
                        throw new IllegalStateException("no account row to debit for a settlement of " + d.amount());
                    }
                    return null;
                });
    }

    /** CLM-14: gives the account payment back; answers the balance after (null when the person has no account row). */
    public Uni<BigDecimal> creditAccount(SqlClient tx, String psnNo, BigDecimal amount) {
        return tx.preparedQuery("UPDATE account SET balance = balance + $2, updated_at = now() WHERE psn_no = $1 RETURNING balance")
                .execute(Tuple.of(psnNo, amount == null ? BigDecimal.ZERO : amount))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBigDecimal("balance"));
    }

    /** What one settlement adds to its person's year (CLM-12). */
    public record AccumulatorIncrement(String psnNo, int year, BigDecimal deductibleUsed, BigDecimal poolingFund,
                                       BigDecimal accountPaid, Map<String, BigDecimal> chronicFund) {
    }

    /**
     * CLM-12: adds settlements' increments to their persons' years (rows created on first use), one
     * statement per table for the group. A key twice in one statement is an error of the database
     * (ON CONFLICT cannot change a row twice): the group's persons are distinct, and if they were
     * not the group's transaction would fail and its commands run one by one.
     */
    public Uni<Void> addAccumulators(SqlClient tx, List<AccumulatorIncrement> increments) {
        ColumnArrays yearRows = ColumnArrays.of(String.class, Integer.class, BigDecimal.class, BigDecimal.class, BigDecimal.class);
        ColumnArrays chronic = chronicColumns();
        for (AccumulatorIncrement i : increments) {
            BigDecimal ded = orZero(i.deductibleUsed());
            BigDecimal pool = orZero(i.poolingFund());
            BigDecimal acct = orZero(i.accountPaid());
            if (ded.signum() != 0 || pool.signum() != 0 || acct.signum() != 0) {
                yearRows.add(i.psnNo(), i.year(), ded, pool, acct);
            }
            addChronicRows(chronic, i.psnNo(), i.year(), i.chronicFund());
        }
        return Pipeline.all(yearRows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery("""
                                INSERT INTO accumulator (psn_no, year, pooling_deductible_used, pooling_fund_paid, account_paid)
                                SELECT * FROM unnest($1::text[], $2::int[], $3::numeric[], $4::numeric[], $5::numeric[])
                                ON CONFLICT (psn_no, year) DO UPDATE SET
                                    pooling_deductible_used = accumulator.pooling_deductible_used + EXCLUDED.pooling_deductible_used,
                                    pooling_fund_paid = accumulator.pooling_fund_paid + EXCLUDED.pooling_fund_paid,
                                    account_paid = accumulator.account_paid + EXCLUDED.account_paid""")
                .execute(yearRows.tuple()), chronic.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery("""
                                INSERT INTO chronic_accumulator (psn_no, year, disease_code, fund_paid)
                                SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::numeric[])
                                ON CONFLICT (psn_no, year, disease_code) DO UPDATE SET
                                    fund_paid = chronic_accumulator.fund_paid + EXCLUDED.fund_paid""")
                .execute(chronic.tuple()));
    }

    /**
     * CLM-14: takes a cancelled settlement's increments back. The rows exist (the settlement created
     * them); the CHECK (>= 0) constraints catch any attempt to take back more than was added.
     */
    public Uni<Void> subtractAccumulators(SqlClient tx, String psnNo, int year, BigDecimal deductibleUsed, BigDecimal poolingFund,
                                          BigDecimal accountPaid, Map<String, BigDecimal> chronicFund) {
        BigDecimal ded = orZero(deductibleUsed);
        BigDecimal pool = orZero(poolingFund);
        BigDecimal acct = orZero(accountPaid);
        Uni<Void> yearRow = ded.signum() == 0 && pool.signum() == 0 && acct.signum() == 0 ? Uni.createFrom().voidItem()
                : tx.preparedQuery("""
                                UPDATE accumulator SET pooling_deductible_used = pooling_deductible_used - $3,
                                    pooling_fund_paid = pooling_fund_paid - $4, account_paid = account_paid - $5
                                WHERE psn_no = $1 AND year = $2""")
                .execute(Tuple.of(psnNo, year, ded, pool, acct)).map(rs -> expectOne(rs.rowCount(), "accumulator"));
        ColumnArrays chronic = addChronicRows(chronicColumns(), psnNo, year, chronicFund);
        return yearRow.chain(() -> chronic.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery("""
                                UPDATE chronic_accumulator c SET fund_paid = c.fund_paid - u.fund_paid
                                FROM unnest($1::text[], $2::int[], $3::text[], $4::numeric[]) AS u(psn_no, year, disease_code, fund_paid)
                                WHERE c.psn_no = u.psn_no AND c.year = u.year AND c.disease_code = u.disease_code""")
                .execute(chronic.tuple()).replaceWithVoid());
    }

    private static Void expectOne(int rows, String what) {
        if (rows != 1) {
            throw new IllegalStateException("no " + what + " row to restore");
        }
        return null;
    }

    /** (psn_no, year, disease_code, fund_paid): a person's chronic-fund amounts by disease, one row each. */
    private static ColumnArrays chronicColumns() {
        return ColumnArrays.of(String.class, Integer.class, String.class, BigDecimal.class);
    }

    /** Adds a person's non-zero chronic-fund amounts of the year (one row per disease, so no key twice). */
    private static ColumnArrays addChronicRows(ColumnArrays rows, String psnNo, int year, Map<String, BigDecimal> chronicFund) {
        if (chronicFund != null) {
            chronicFund.forEach((disease, amount) -> {
                if (amount != null && amount.signum() != 0) {
                    rows.add(psnNo, year, disease, amount);
                }
            });
        }
        return rows;
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    /** CLM-08: the supplies of settled purchases (lines with days of supply), one statement for the group. */
    public Uni<Void> recordSupplies(SqlClient tx, List<NewSettlement> settled) {
        ColumnArrays rows = ColumnArrays.of(String.class, Integer.class, String.class, String.class, LocalDate.class, Integer.class);
        for (NewSettlement s : settled) {
            for (LineRow l : s.lines()) {
                if (l.itemCode() != null && l.daysSupply() != null && l.daysSupply() > 0) {
                    rows.add(s.setlId(), l.seq(), s.psnNo(), l.itemCode(), s.saleDate(), l.daysSupply());
                }
            }
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        INSERT INTO supply (setl_id, seq, psn_no, item_code, sale_date, days_supply)
                        SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::date[], $6::int[])""")
                .execute(rows.tuple()).replaceWithVoid();
    }

    /** A person and an item code they are buying: the key of a CLM-08 prior-supply lookup. */
    public record PersonItem(String psnNo, String itemCode) {
    }

    /**
     * CLM-08: each asked person's latest live supply of each asked item code, at any pharmacy, by
     * psnNo then item code. Exactly the pairs asked, each one index probe that stops at the newest
     * row: a person's history of an item only grows (a chronic patient's monthly refills), and
     * reading all of it, or every pair of the group's persons and codes, made the read grow with it
     * (docs/performance.md, step 16).
     */
    public Uni<Map<String, Map<String, Snapshots.PriorSupply>>> priorSupplies(SqlClient db, Collection<PersonItem> pairs) {
        if (pairs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] persons = new String[pairs.size()];
        String[] codes = new String[pairs.size()];
        int i = 0;
        for (PersonItem pair : pairs) {
            persons[i] = pair.psnNo();
            codes[i++] = pair.itemCode();
        }
        return db.preparedQuery("""
                        SELECT u.psn_no, u.item_code, s.sale_date, s.days_supply
                        FROM unnest($1::text[], $2::text[]) AS u(psn_no, item_code)
                        CROSS JOIN LATERAL (SELECT sale_date, days_supply FROM supply
                            WHERE psn_no = u.psn_no AND item_code = u.item_code AND live
                            ORDER BY sale_date DESC, days_supply DESC LIMIT 1) AS s""")
                .execute(Tuple.of(persons, codes))
                .map(rows -> {
                    Map<String, Map<String, Snapshots.PriorSupply>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getString("psn_no"), k -> new HashMap<>()).put(r.getString("item_code"),
                            new Snapshots.PriorSupply(r.getString("item_code"), r.getLocalDate("sale_date"), r.getInteger("days_supply"))));
                    return out;
                });
    }

    /** CLM-06: an electronic prescription dispensed by a settlement. */
    public record PrescriptionUseRow(String setlId, String rxNo, String institutionCode) {
    }

    /** CLM-06: the live settlement that dispensed each electronic prescription; a partial unique index allows one. */
    public Uni<Void> recordPrescriptionUses(SqlClient tx, List<PrescriptionUseRow> uses) {
        if (uses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ColumnArrays rows = ColumnArrays.of(String.class, String.class, String.class);
        uses.forEach(u -> rows.add(u.setlId(), u.rxNo(), u.institutionCode()));
        return tx.preparedQuery("""
                        INSERT INTO prescription_use (setl_id, rx_no, institution_code)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[])""")
                .execute(rows.tuple()).replaceWithVoid();
    }

    /** CLM-06: the electronic prescriptions among these already dispensed by a live settlement, by rxNo (absent: never, or only by cancelled ones). */
    public Uni<Map<String, Snapshots.PrescriptionUse>> prescriptionUses(SqlClient db, Collection<String> rxNos) {
        if (rxNos.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("SELECT rx_no, setl_id FROM prescription_use WHERE rx_no = ANY($1) AND live")
                .execute(Tuple.of((Object) rxNos.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Snapshots.PrescriptionUse> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("rx_no"), new Snapshots.PrescriptionUse(r.getString("rx_no"), r.getString("setl_id"))));
                    return out;
                });
    }

    /**
     * CLM-06: the e-prescription registry's records of these prescriptions, by rxNo, each with the
     * quantity of each prescribed item already dispensed under it by live settlements (its Rx
     * lines); a prescription not registered is absent. One statement for a whole group.
     */
    public Uni<Map<String, Snapshots.RegisteredPrescription>> registeredPrescriptions(SqlClient db, Collection<String> rxNos) {
        if (rxNos.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("""
                        SELECT r.rx_no, r.institution_code, r.physician_code, r.patient_psn_no, r.issued_at, r.valid_days,
                               i.item_code, i.quantity,
                               (SELECT sum(l.quantity) FROM prescription_use u
                                    JOIN settlement_line l ON l.setl_id = u.setl_id AND l.rx_no = u.rx_no
                                WHERE u.rx_no = r.rx_no AND u.live AND l.item_code = i.item_code) AS dispensed
                        FROM registered_prescription r JOIN registered_prescription_item i ON i.rx_no = r.rx_no
                        WHERE r.rx_no = ANY($1)""")
                .execute(Tuple.of((Object) rxNos.toArray(new String[0])))
                .map(rows -> {
                    Map<String, List<Row>> byRx = new HashMap<>();
                    rows.forEach(r -> byRx.computeIfAbsent(r.getString("rx_no"), k -> new ArrayList<>()).add(r));
                    Map<String, Snapshots.RegisteredPrescription> out = new HashMap<>();
                    byRx.forEach((rxNo, itemRows) -> {
                        Map<String, BigDecimal> items = new HashMap<>();
                        Map<String, BigDecimal> dispensed = new HashMap<>();
                        for (Row r : itemRows) {
                            items.put(r.getString("item_code"), r.getBigDecimal("quantity"));
                            if (r.getBigDecimal("dispensed") != null) {
                                dispensed.put(r.getString("item_code"), r.getBigDecimal("dispensed"));
                            }
                        }
                        Row first = itemRows.get(0);
                        out.put(rxNo, new Snapshots.RegisteredPrescription(rxNo, first.getString("institution_code"),
                                first.getString("physician_code"), first.getString("patient_psn_no"),
                                first.getOffsetDateTime("issued_at"), first.getInteger("valid_days"), Map.copyOf(items),
                                Map.copyOf(dispensed)));
                    });
                    return out;
                });
    }

    /** CLM-14: the cancelled settlement no longer counts for CLM-08 refills nor holds its e-prescription (CLM-06). */
    public Uni<Void> release(SqlClient tx, String setlId) {
        return tx.preparedQuery("UPDATE supply SET live = false WHERE setl_id = $1 AND live").execute(Tuple.of(setlId))
                .chain(() -> tx.preparedQuery("UPDATE prescription_use SET live = false WHERE setl_id = $1 AND live").execute(Tuple.of(setlId)))
                .replaceWithVoid();
    }

    /** CLM-14 / CLM-15: the new status, and who undid it when, as a record of its own (SEC-04). */
    public Uni<Void> markUndone(SqlClient tx, String setlId, SettlementStatus kind, String commandId, String requestMsgId,
                                String operatorId, BigDecimal balanceAfter, String resultJson) {
        return tx.preparedQuery("UPDATE settlement SET status = $2 WHERE setl_id = $1 AND status = 'SETTLED'")
                .execute(Tuple.of(setlId, kind.name()))
                .map(rs -> {
                    if (rs.rowCount() != 1) {
                        throw new IllegalStateException("settlement " + setlId + " is not SETTLED any more");
                    }
                    return rs;
                })
                .chain(() -> tx.preparedQuery("""
                                INSERT INTO settlement_cancellation (setl_id, kind, command_id, request_msg_id, operator_id,
                                    account_balance_after, result_json) VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                        .execute(Tuple.from(new Object[]{setlId, kind.name(), commandId, requestMsgId, operatorId, balanceAfter, resultJson})))
                .replaceWithVoid();
    }

    private static StoredSettlement stored(Row r) {
        return new StoredSettlement(r.getString("setl_id"), r.getString("msg_id"), r.getString("body_hash"), r.getString("psn_no"),
                r.getString("pharmacy_code"), r.getString("terminal_id"), r.getString("region_code"), r.getString("operator_id"),
                SettlementStatus.valueOf(r.getString("status")), r.getOffsetDateTime("occurred_at"), r.getLocalDate("sale_date"),
                r.getBigDecimal("account_pay"), r.getBigDecimal("pooling_deductible_used"), r.getBigDecimal("pooling_fund_paid"),
                chronicMap(r.getString("chronic_fund_paid")), r.getBoolean("declared"), r.getString("request_json"),
                r.getString("result_json"), r.getString("undo_result_json"));
    }

    private static Map<String, BigDecimal> chronicMap(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, BigDecimal>>() {
            });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> codes(List<SettlementResult.Reject> rejects) {
        return rejects == null ? List.of() : rejects.stream().map(r -> r.code().name()).distinct().toList();
    }
}
