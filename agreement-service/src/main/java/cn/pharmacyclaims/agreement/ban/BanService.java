package cn.pharmacyclaims.agreement.ban;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.lifecycle.AgreementConfig;
import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import cn.pharmacyclaims.agreement.pharmacy.ImportValidator;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * AGR-12 bans: derived automatically from terminations (by ground) and second failed evaluations,
 * or recorded by an officer (e.g. the 5-year ban of a key person); and the AGR-01 dishonest list.
 */
@ApplicationScoped
public class BanService {
    private static final Logger LOG = Logger.getLogger(BanService.class);

    /** Body of {@code POST /api/v1/bans}: either {@code untilDate} or {@code years}. */
    public record BanRequest(String subjectType, String pharmacyCode, String idType, String idNumber, String personRole,
                             String fromDate, String untilDate, Integer years, String reason, String ruleId) {
    }

    public record ImportAnswer(int imported, int created, int updated) {
    }

    private final Pool pool;
    private final BanStore store;
    private final BanRules rules;
    private final Clock clock;

    public BanService(Pool pool, BanStore store, AgreementConfig config, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.rules = config.banRules();
        this.clock = clock;
    }

    public BanRules rules() {
        return rules;
    }

    /** AGR-12 after a termination, in the caller's transaction; nothing when the ground carries no ban. */
    public Uni<Void> onTermination(SqlClient tx, String pharmacyCode, TerminationGround ground, Cause cause, OffsetDateTime now) {
        LocalDate today = now.toLocalDate();
        return rules.afterTermination(ground, today)
                .map(p -> store.add(tx, new BanStore.NewBan(Person.pharmacyKey(pharmacyCode), "PHARMACY", pharmacyCode, null, p,
                        p.why(), "AGR-12", "termination:" + ground + ":" + today), cause, now).replaceWithVoid())
                .orElse(Uni.createFrom().voidItem());
    }

    /** AGR-12: a second failed evaluation bans the pharmacy for a year from the day the result was delivered. */
    public Uni<Ban> onSecondFailedEvaluation(SqlClient tx, String pharmacyCode, long applicationId, LocalDate deliveredOn, Cause cause,
                                             OffsetDateTime now) {
        BanRules.Period p = rules.afterSecondFailedEvaluation(deliveredOn);
        return store.add(tx, new BanStore.NewBan(Person.pharmacyKey(pharmacyCode), "PHARMACY", pharmacyCode, null, p, p.why(),
                "AGR-12", "application:" + applicationId + ":second-fail"), cause, now);
    }

    /** An officer records a ban by hand (AGR-12), e.g. the 5-year ban of a key person. */
    public Uni<Ban> record(BanRequest body, String actor) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate today = BeijingTime.today(clock);
        if (body == null) {
            throw ProblemException.badRequest("a ban is required", List.of(new FieldError("$", "is required")));
        }
        String type = body.subjectType();
        if (body.pharmacyCode() == null || !ImportValidator.CODE.matcher(body.pharmacyCode()).matches()) {
            errors.add(new FieldError("pharmacyCode", "must be 'P' followed by 11 digits: the banned pharmacy, or the one the person's ban arises from"));
        }
        Person person = null;
        if ("PERSON".equals(type)) {
            if (body.idType() == null || !Person.ID_TYPE.matcher(body.idType()).matches()) {
                errors.add(new FieldError("idType", "must be a document type such as ID_CARD or PASSPORT"));
            }
            if (body.idNumber() == null || !Person.ID_NUMBER.matcher(body.idNumber()).matches()) {
                errors.add(new FieldError("idNumber", "must be 4-40 letters or digits"));
            }
            if (body.personRole() == null || !List.of("LEGAL_REPRESENTATIVE", "ACTUAL_CONTROLLER", "KEY_PERSON").contains(body.personRole())) {
                errors.add(new FieldError("personRole", "must be LEGAL_REPRESENTATIVE, ACTUAL_CONTROLLER or KEY_PERSON"));
            }
            if (errors.isEmpty()) {
                person = new Person(body.idType(), body.idNumber());
            }
        } else if (!"PHARMACY".equals(type)) {
            errors.add(new FieldError("subjectType", "must be PHARMACY or PERSON"));
        }
        LocalDate from = date(body.fromDate(), "fromDate", errors);
        if (from == null && (body.fromDate() == null || body.fromDate().isBlank())) {
            from = today;
        }
        LocalDate until = date(body.untilDate(), "untilDate", errors);
        if (until == null && body.years() != null) {
            if (body.years() < 1 || body.years() > 10) {
                errors.add(new FieldError("years", "must be between 1 and 10"));
            } else if (from != null) {
                until = from.plusYears(body.years());
            }
        } else if (until == null && (body.untilDate() == null || body.untilDate().isBlank())) {
            errors.add(new FieldError("untilDate", "is required unless years is given"));
        }
        if (from != null && until != null && !until.isAfter(from)) {
            errors.add(new FieldError("untilDate", "must be after fromDate " + from));
        }
        if (body.reason() == null || body.reason().isBlank()) {
            errors.add(new FieldError("reason", "is required (SEC-04: every change records why)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the ban has " + errors.size() + " invalid field(s)", errors);
        }
        String key = person == null ? Person.pharmacyKey(body.pharmacyCode()) : person.subjectKey();
        String rule = body.ruleId() == null || body.ruleId().isBlank() ? "AGR-12" : body.ruleId().strip();
        BanRules.Period period = new BanRules.Period(from, until, body.reason().strip());
        String role = person == null ? null : body.personRole();
        OffsetDateTime now = BeijingTime.now(clock);
        Cause cause = new Cause(actor, cn.pharmacyclaims.agreement.history.Source.STAFF, body.reason().strip());
        String origin = "staff:" + actor + ":" + now.toInstant();
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT 1 FROM pharmacy WHERE code = $1").execute(Tuple.of(body.pharmacyCode()))
                        .flatMap(rs -> {
                            if (rs.size() == 0) {
                                throw ProblemException.notFound("no pharmacy " + body.pharmacyCode());
                            }
                            return store.add(tx, new BanStore.NewBan(key, type, body.pharmacyCode(), role, period, period.why(), rule,
                                    origin), cause, now);
                        }))
                .invoke(b -> LOG.infof("ban recorded by %s: %s until %s", actor, b.subject(), b.untilDate()));
    }

    public Uni<List<Ban>> ofPharmacy(String pharmacyCode) {
        return store.ofPharmacy(pool, pharmacyCode);
    }

    /** AGR-01: the admin import of the dishonest-party list; a bad row rejects the whole call. */
    public Uni<ImportAnswer> importDishonest(List<DishonestPartyRow> rows, String actor) {
        DishonestPartyRow.Result r = DishonestPartyRow.validate(rows);
        if (!r.errors().isEmpty()) {
            return Uni.createFrom().failure(ProblemException.badRequest("the listing import has invalid rows; nothing was imported",
                    r.errors()));
        }
        OffsetDateTime now = BeijingTime.now(clock);
        return pool.withTransaction(tx -> store.upsertListings(tx, r.rows(), actor, now))
                .map(created -> new ImportAnswer(r.rows().size(), created, r.rows().size() - created))
                .invoke(a -> LOG.infof("dishonest-party list import by %s: %d rows (%d new)", actor, a.imported(), a.created()));
    }

    private static LocalDate date(String s, String field, List<FieldError> errors) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + s + "' is not a date (yyyy-MM-dd)"));
            return null;
        }
    }
}
