package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.lifecycle.Agreement;
import cn.pharmacyclaims.agreement.pharmacy.ImportValidator.ValidRow;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.web.Problem.FieldError;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides what an import does to each row, given the pharmacies already stored (plain Java, no I/O).
 * The import migrates the agency's existing registry, which is authoritative, with two limits:
 * nothing leaves TERMINATED (AGR-09), and an agreement whose term already ended is stored EXPIRED
 * (AGR-05) whatever status the registry still shows, so re-importing the same file changes nothing.
 * A row whose validFrom differs from the current agreement's starts a new term: a new agreement row
 * (suspension count back to zero, AGR-09) superseding the old one, which stays as it was.
 */
public final class ImportPlanner {

    public enum Kind { CREATED, UPDATED, UNCHANGED }

    /**
     * @param before           null for a new pharmacy
     * @param newAgreement     the agreement in {@code after} is a new row (its id is still 0)
     * @param agreementChanged the agreement's state or term changed: a history row is due
     * @param note             what changed, for history and the published reason
     */
    public record Change(int index, Kind kind, PharmacyState before, PharmacyState after, boolean newAgreement,
                         boolean agreementChanged, String note) {
    }

    public record Plan(List<Change> changes, List<FieldError> errors) {
        public int count(Kind kind) {
            return (int) changes.stream().filter(c -> c.kind() == kind).count();
        }
    }

    private ImportPlanner() {
    }

    public static Plan plan(List<ValidRow> rows, Map<String, PharmacyState> existing, OffsetDateTime now) {
        List<Change> changes = new ArrayList<>(rows.size());
        List<FieldError> errors = new ArrayList<>();
        for (ValidRow row : rows) {
            PharmacyState before = existing.get(row.pharmacy().code());
            PharmacyStatus status = effectiveStatus(row, now);
            String expiredNote = status != row.status()
                    ? "; term ended on " + row.validTo() + ", stored as EXPIRED (AGR-05)" : "";
            if (before == null) {
                Agreement a = fresh(row, status, now);
                PharmacyState after = new PharmacyState(row.pharmacy().withVersion(1), a);
                changes.add(new Change(row.index(), Kind.CREATED, null, after, true, true, "imported" + expiredNote));
                continue;
            }
            Agreement current = before.agreement();
            boolean sameTerm = current.validFrom().equals(row.validFrom());
            boolean termFieldsSame = sameTerm && current.validTo().equals(row.validTo()) && current.type() == row.type()
                    && current.regionCode().equals(row.pharmacy().regionCode());
            if (current.status() == PharmacyStatus.TERMINATED && (status != PharmacyStatus.TERMINATED || !termFieldsSame)) {
                errors.add(new FieldError("[" + row.index() + "].agreement",
                        row.pharmacy().code() + " has a TERMINATED agreement; termination is final (AGR-09), an import cannot change or replace it"));
                continue;
            }
            boolean pharmacyChanged = !before.pharmacy().sameDataAs(row.pharmacy());
            Agreement after;
            boolean newAgreement = !sameTerm;
            List<String> changed = new ArrayList<>();
            if (newAgreement) {
                after = fresh(row, status, now);
                changed.add("new term " + row.validFrom() + ".." + row.validTo() + " replaces agreement #" + current.id()
                        + " (" + current.status() + ")");
            } else {
                after = current.withTerm(row.pharmacy().regionCode(), row.type(), row.validFrom(), row.validTo());
                after = withImportedStatus(after, status, now);
                if (!current.validTo().equals(after.validTo())) {
                    changed.add("validTo " + current.validTo() + " -> " + after.validTo());
                }
                if (current.type() != after.type()) {
                    changed.add("type " + current.type() + " -> " + after.type());
                }
                if (!current.regionCode().equals(after.regionCode())) {
                    changed.add("region " + current.regionCode() + " -> " + after.regionCode());
                }
                if (current.status() != after.status()) {
                    changed.add("status " + current.status() + " -> " + after.status());
                }
                if (!changed.isEmpty()) {
                    after = after.nextVersion();
                }
            }
            boolean agreementChanged = !changed.isEmpty();
            if (!pharmacyChanged && !agreementChanged) {
                changes.add(new Change(row.index(), Kind.UNCHANGED, before, before, false, false, null));
                continue;
            }
            if (pharmacyChanged) {
                changed.add(0, "pharmacy details");
            }
            PharmacyState next = new PharmacyState(row.pharmacy().withVersion(before.version() + 1), after);
            changes.add(new Change(row.index(), Kind.UPDATED, before, next, newAgreement, agreementChanged,
                    "imported: " + String.join(", ", changed) + expiredNote));
        }
        return new Plan(changes, errors);
    }

    /** AGR-05: a registry row that still says ACTIVE for a term that already ended is an expired agreement. */
    static PharmacyStatus effectiveStatus(ValidRow row, OffsetDateTime now) {
        boolean termOver = now.toLocalDate().isAfter(row.validTo());
        return termOver && row.status() != PharmacyStatus.TERMINATED ? PharmacyStatus.EXPIRED : row.status();
    }

    private static Agreement fresh(ValidRow row, PharmacyStatus status, OffsetDateTime now) {
        boolean suspended = status == PharmacyStatus.SUSPENDED;
        // an imported suspension is one suspension within this term (AGR-09 counts it)
        return new Agreement(0, row.pharmacy().code(), row.pharmacy().regionCode(), row.type(), row.validFrom(), row.validTo(),
                status, status == PharmacyStatus.SETTLEMENT_HOLD, suspended ? 1 : 0, suspended ? now : null, false, null, now, 1);
    }

    private static Agreement withImportedStatus(Agreement a, PharmacyStatus to, OffsetDateTime now) {
        if (a.status() == to) {
            return a;
        }
        Agreement b = a.withStatus(to, now).withHold(to == PharmacyStatus.SETTLEMENT_HOLD);
        if (to == PharmacyStatus.SUSPENDED) {
            return b.withSuspension(a.suspensionsInTerm() + 1, now, false);
        }
        b = b.withSuspension(a.suspensionsInTerm(), null, false);
        return Objects.equals(to, PharmacyStatus.TERMINATED) ? b : b.withGround(null);
    }
}
