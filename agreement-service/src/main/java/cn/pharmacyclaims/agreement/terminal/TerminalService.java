package cn.pharmacyclaims.agreement.terminal;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.agreement.publish.TerminalEvents;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.IssuedSecret;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.TerminalView;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.security.SecretCipher;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * SEC-01 terminal registry. Registration and rotation create a secret, store only its ciphertext,
 * publish a TerminalChanged (ciphertext, version) through the outbox to agreement.terminals, and show
 * the clear secret once, in the answer. Revocation publishes the REVOKED state the same way.
 */
@ApplicationScoped
public class TerminalService {
    private static final Logger LOG = Logger.getLogger(TerminalService.class);
    static final Pattern TERMINAL_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    private final Pool pool;
    private final PharmacyStore pharmacies;
    private final TerminalEvents events;
    private final SecretCipher cipher;
    private final OutboxRelay relay;
    private final Clock clock;

    public TerminalService(Pool pool, PharmacyStore pharmacies, TerminalEvents events, SecretCipher cipher, OutboxRelay relay,
                           Clock clock) {
        this.pool = pool;
        this.pharmacies = pharmacies;
        this.events = events;
        this.cipher = cipher;
        this.relay = relay;
        this.clock = clock;
    }

    /**
     * Registers a terminal to a pharmacy. The same id registered again to the same pharmacy is
     * re-issued (new secret, ACTIVE again): an id held by another pharmacy is refused (SEC-01: one
     * terminal, one pharmacy).
     */
    public Uni<IssuedSecret> register(String pharmacyCode, String requestedId, String actor) {
        String terminalId = requestedId == null || requestedId.isBlank() ? generatedId() : requestedId.strip();
        if (!TERMINAL_ID.matcher(terminalId).matches()) {
            return Uni.createFrom().failure(ProblemException.badRequest("invalid terminal id", List.of(new Problem.FieldError("terminalId",
                    "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"))));
        }
        String secret = SecretCipher.newSecret();
        String ciphertext = cipher.encrypt(secret);
        return pool.withTransaction(tx -> pharmacies.find(tx, pharmacyCode).flatMap(state -> {
                    if (state == null) {
                        throw ProblemException.notFound("no pharmacy " + pharmacyCode);
                    }
                    if (state.agreement().status() == PharmacyStatus.TERMINATED) {
                        // AGR-09: a terminated pharmacy settles nothing, ever; it gets no new device either
                        throw ProblemException.conflict(pharmacyCode + " is TERMINATED; no terminal can be registered to it",
                                "PHARMACY_TERMINATED");
                    }
                    OffsetDateTime now = BeijingTime.now(clock);
                    return tx.preparedQuery("""
                                    INSERT INTO terminal (terminal_id, pharmacy_code, status, secret_ciphertext, version, created_at, updated_at)
                                    VALUES ($1, $2, 'ACTIVE', $3, 1, $4, $4)
                                    ON CONFLICT (terminal_id) DO UPDATE SET status = 'ACTIVE', secret_ciphertext = EXCLUDED.secret_ciphertext,
                                           version = terminal.version + 1, updated_at = EXCLUDED.updated_at
                                    WHERE terminal.pharmacy_code = EXCLUDED.pharmacy_code
                                    RETURNING terminal.*, (xmax = 0) AS inserted""")
                            .execute(Tuple.of(terminalId, pharmacyCode, ciphertext, now))
                            .flatMap(rs -> {
                                if (rs.size() == 0) {
                                    throw ProblemException.conflict("terminal " + terminalId + " is registered to another pharmacy",
                                            "TERMINAL_TAKEN");
                                }
                                Row row = rs.iterator().next();
                                Terminal t = map(row);
                                String action = row.getBoolean("inserted") ? "REGISTERED" : "REISSUED";
                                return record(tx, t, action, null, actor, now);
                            });
                }))
                .invoke(t -> {
                    relay.nudge();
                    LOG.infof("terminal %s registered to %s by %s (version %d)", t.terminalId(), t.pharmacyCode(), actor, t.version());
                })
                .map(t -> new IssuedSecret(t.terminalId(), secret));
    }

    /** A new secret for an active terminal; the old one stops working once the gateway has the new event. */
    public Uni<IssuedSecret> rotate(String terminalId, String actor) {
        String secret = SecretCipher.newSecret();
        String ciphertext = cipher.encrypt(secret);
        return change(terminalId, "ROTATED", null, actor, (tx, t, now) -> tx.preparedQuery("""
                                UPDATE terminal SET secret_ciphertext = $2, version = version + 1, updated_at = $3
                                WHERE terminal_id = $1 RETURNING *""")
                        .execute(Tuple.of(terminalId, ciphertext, now)))
                .map(t -> new IssuedSecret(t.terminalId(), secret));
    }

    public Uni<TerminalView> revoke(String terminalId, String reason, String actor) {
        return change(terminalId, "REVOKED", reason, actor, (tx, t, now) -> tx.preparedQuery("""
                                UPDATE terminal SET status = 'REVOKED', version = version + 1, updated_at = $2
                                WHERE terminal_id = $1 RETURNING *""")
                        .execute(Tuple.of(terminalId, now)))
                .map(TerminalView::of);
    }

    public Uni<List<TerminalView>> list(String pharmacyCode) {
        return pool.withConnection(db -> pharmacies.find(db, pharmacyCode).flatMap(state -> {
            if (state == null) {
                throw ProblemException.notFound("no pharmacy " + pharmacyCode);
            }
            return db.preparedQuery("SELECT * FROM terminal WHERE pharmacy_code = $1 ORDER BY terminal_id")
                    .execute(Tuple.of(pharmacyCode))
                    .map(rs -> {
                        List<TerminalView> out = new ArrayList<>(rs.size());
                        rs.forEach(r -> out.add(TerminalView.of(map(r))));
                        return out;
                    });
        }));
    }

    private interface Update {
        Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> apply(SqlClient tx, Terminal current, OffsetDateTime now);
    }

    /** Lock, refuse if unknown (404) or revoked (409), update, record, publish. */
    private Uni<Terminal> change(String terminalId, String action, String reason, String actor, Update update) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT * FROM terminal WHERE terminal_id = $1 FOR UPDATE")
                        .execute(Tuple.of(terminalId))
                        .flatMap(rs -> {
                            if (rs.size() == 0) {
                                throw ProblemException.notFound("no terminal " + terminalId);
                            }
                            Terminal current = map(rs.iterator().next());
                            if (current.status() == TerminalChanged.Status.REVOKED) {
                                throw ProblemException.conflict("terminal " + terminalId + " is REVOKED; register it again to re-issue it",
                                        "TERMINAL_REVOKED");
                            }
                            OffsetDateTime now = BeijingTime.now(clock);
                            return update.apply(tx, current, now)
                                    .flatMap(updated -> record(tx, map(updated.iterator().next()), action, reason, actor, now));
                        }))
                .invoke(t -> {
                    relay.nudge();
                    LOG.infof("terminal %s %s by %s (version %d)", t.terminalId(), action.toLowerCase(Locale.ROOT), actor, t.version());
                });
    }

    /** History row (SEC-04) and the TerminalChanged outbox row, in the caller's transaction. */
    private Uni<Terminal> record(SqlClient tx, Terminal t, String action, String reason, String actor, OffsetDateTime now) {
        return tx.preparedQuery("""
                        INSERT INTO terminal_history (terminal_id, pharmacy_code, action, status, reason, actor, occurred_at, version)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(Arrays.asList(t.terminalId(), t.pharmacyCode(), action, t.status().name(), reason, actor, now,
                        t.version())))
                .flatMap(x -> events.add(tx, t.event(now)))
                .replaceWith(t);
    }

    private static String generatedId() {
        return "T-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    private static Terminal map(Row r) {
        return new Terminal(r.getString("terminal_id"), r.getString("pharmacy_code"),
                TerminalChanged.Status.valueOf(r.getString("status")), r.getString("secret_ciphertext"), r.getLong("version"),
                BeijingTime.inBeijing(r.getOffsetDateTime("created_at")), BeijingTime.inBeijing(r.getOffsetDateTime("updated_at")));
    }
}
