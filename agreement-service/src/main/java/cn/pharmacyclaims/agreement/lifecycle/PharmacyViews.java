package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.application.ApplicationStore;
import cn.pharmacyclaims.agreement.application.ApplicationView;
import cn.pharmacyclaims.agreement.ban.Ban;
import cn.pharmacyclaims.agreement.ban.BanStore;
import cn.pharmacyclaims.agreement.deadline.DeadlineRules;
import cn.pharmacyclaims.agreement.deadline.DeadlineStore;
import cn.pharmacyclaims.agreement.deadline.TrackedDeadline;
import cn.pharmacyclaims.agreement.dispute.DisputeService;
import cn.pharmacyclaims.agreement.dispute.DisputeView;
import cn.pharmacyclaims.agreement.history.HistoryEntry;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
import cn.pharmacyclaims.agreement.history.StatusHistory;
import cn.pharmacyclaims.agreement.keychange.KeyChangeService;
import cn.pharmacyclaims.agreement.keychange.KeyChangeView;
import cn.pharmacyclaims.agreement.lifecycle.PharmacyView.AgreementView;
import cn.pharmacyclaims.agreement.lifecycle.PharmacyView.GroundFound;
import cn.pharmacyclaims.agreement.lifecycle.PharmacyView.HistoryView;
import cn.pharmacyclaims.agreement.pharmacy.Pharmacy;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.agreement.sanction.SanctionStore;
import cn.pharmacyclaims.agreement.sanction.SanctionView;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

/** Assembles the {@link PharmacyView}, one query after the other on the caller's connection (or transaction). */
@ApplicationScoped
public class PharmacyViews {
    private final PharmacyStore store;
    private final StatusHistory history;
    private final RecordHistory records;
    private final DeadlineStore deadlines;
    private final KeyChangeService keyChanges;
    private final SanctionStore sanctions;
    private final BanStore bans;
    private final DisputeService disputes;
    private final ApplicationStore applications;
    private final AgreementConfig config;
    private final Clock clock;

    public PharmacyViews(PharmacyStore store, StatusHistory history, RecordHistory records, DeadlineStore deadlines,
                         KeyChangeService keyChanges, SanctionStore sanctions, BanStore bans, DisputeService disputes,
                         ApplicationStore applications, AgreementConfig config, Clock clock) {
        this.store = store;
        this.history = history;
        this.records = records;
        this.deadlines = deadlines;
        this.keyChanges = keyChanges;
        this.sanctions = sanctions;
        this.bans = bans;
        this.disputes = disputes;
        this.applications = applications;
        this.config = config;
        this.clock = clock;
    }

    private static final class Parts {
        List<PharmacyState> states;
        List<HistoryEntry> history;
        List<RecordEntry> records;
        List<TrackedDeadline> deadlines;
        List<KeyChangeView> keyChanges;
        List<SanctionView> sanctions;
        int cases;
        List<Ban> bans;
        List<DisputeView> disputes;
        List<ApplicationView.Summary> applications;
    }

    /** @throws ProblemException 404 when the pharmacy is unknown */
    public Uni<PharmacyView> load(SqlClient db, String code) {
        Parts p = new Parts();
        return store.agreements(db, code)
                .invoke(states -> {
                    if (states.isEmpty()) {
                        throw ProblemException.notFound("no pharmacy " + code);
                    }
                    p.states = states;
                })
                .flatMap(x -> history.of(db, code)).invoke(h -> p.history = h)
                .flatMap(x -> records.ofPharmacy(db, code)).invoke(r -> p.records = r)
                .flatMap(x -> deadlines.ofPharmacy(db, code)).invoke(d -> p.deadlines = d)
                .flatMap(x -> keyChanges.ofPharmacy(db, code)).invoke(k -> p.keyChanges = k)
                .flatMap(x -> sanctions.ofPharmacy(db, code)).invoke(s -> p.sanctions = s)
                .flatMap(x -> sanctions.confirmedCasesSince(db, code,
                        BeijingTime.now(clock).minusMonths(config.sanctions().ladderWindowMonths()))).invoke(n -> p.cases = n)
                .flatMap(x -> bans.ofPharmacy(db, code)).invoke(b -> p.bans = b)
                .flatMap(x -> disputes.ofPharmacy(db, code)).invoke(d -> p.disputes = d)
                .flatMap(x -> applications.ofPharmacy(db, code)).invoke(a -> p.applications = a.stream().map(ApplicationView.Summary::of).toList())
                .map(x -> build(p));
    }

    private PharmacyView build(Parts p) {
        PharmacyState home = p.states.get(0);
        Pharmacy ph = home.pharmacy();
        List<AgreementView> agreements = p.states.stream().map(s -> agreement(s, ph)).toList();
        List<HistoryView> hv = p.history.stream().map(h -> new HistoryView(h.id(), h.occurredAt(), h.actor(), h.source().name(),
                h.action(), h.fromStatus(), h.toStatus(), h.settlementHold(), h.reason(), h.ground(), h.ruleId(), h.agreementId(),
                h.regionCode(), h.pharmacyVersion())).toList();
        List<GroundFound> grounds = p.keyChanges.stream().filter(KeyChangeView::terminationGround)
                .map(k -> new GroundFound(TerminationGround.UNFILED_KEY_CHANGE, "AGR-06", k.id(), k.filingDue(),
                        "key change " + k.items() + " approved " + k.approvedOn() + (k.filedOn() == null ? " not filed by " + k.filingDue()
                                : " filed late on " + k.filedOn() + " (due " + k.filingDue() + ")")))
                .toList();
        boolean referral = p.sanctions.stream().anyMatch(s -> s.applied() && s.policeReferral());
        return new PharmacyView(ph.code(), ph.name(), ph.regionCode(), ph.address(), ph.lat(), ph.lon(), ph.businessHours(),
                home.agreement().status(), home.agreement().settlementHold(), ph.version(), agreements.get(0), hv, agreements,
                p.deadlines, p.keyChanges, grounds, p.sanctions, p.cases, referral, p.bans, p.disputes, p.applications, p.records);
    }

    private AgreementView agreement(PharmacyState s, Pharmacy ph) {
        Agreement a = s.agreement();
        return new AgreementView(a.id(), a.regionCode(), a.regionCode().equals(ph.regionCode()), a.type(), a.validFrom(), a.validTo(),
                a.status(), a.settlementHold(), a.suspensionsInTerm(), a.suspendedAt(), a.suspensionRequestedByPharmacy(),
                a.terminationGround(), a.statusChangedAt(), DeadlineRules.renewalWindowOpens(a.validTo(), deadlines.settings()));
    }
}
