package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static cn.pharmacyclaims.audit.rules.Fixtures.T0;
import static cn.pharmacyclaims.audit.rules.Fixtures.cancelled;
import static cn.pharmacyclaims.audit.rules.Fixtures.line;
import static cn.pharmacyclaims.audit.rules.Fixtures.rejected;
import static cn.pharmacyclaims.audit.rules.Fixtures.requestLine;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-request rules: AUD-01, AUD-12, AUD-13, AUD-14. One alert per request. */
class RequestRulesTest {
    static final String P = "P44010500001";

    @Nested
    class Aud01NonMedicalGoods {
        final RuleHarness h = new RuleHarness(new NonMedicalGoodsRule());

        @Test
        void aud01_firesOnRejectedNonMedicalItem_withRequestAmountAndSubject() {
            SettlementDecision d = rejected("psn-1", P, "T-1", T0, RejectCode.NON_MEDICAL_ITEM, "item is NON_MEDICAL",
                    requestLine(1, "SHAMPOO01", "NON_MEDICAL", "2", "12.3450"), requestLine(2, "XC08", "A", "1", "5.00"));
            List<Finding> raised = h.feed(d);
            assertThat(raised).hasSize(1);
            Finding f = raised.get(0);
            assertThat(f.ruleId()).isEqualTo("AUD-01");
            assertThat(f.severity()).isEqualTo(Severity.CLEAR_VIOLATION);
            assertThat(f.behaviourType()).isEqualTo(BehaviourType.NON_MEDICAL_GOODS);
            // 2 × 12.3450 = 24.69 (half-up) + 5.00
            assertThat(f.amount()).isEqualByComparingTo("29.69");
            assertThat(f.amount().scale()).isEqualTo(2);
            assertThat(f.subject().pharmacyCode()).isEqualTo(P);
            assertThat(f.subject().psnNo()).isEqualTo("psn-1");
            assertThat(f.subject().terminalId()).isEqualTo("T-1");
            assertThat(f.subject().prescriberCode()).isEqualTo("D0042");
            assertThat(f.involved()).singleElement().satisfies(i -> {
                assertThat(i.msgId()).isEqualTo(d.msgId());
                assertThat(i.setlId()).isNull();
            });
            assertThat(f.evidence()).contains("SHAMPOO01").contains("NON_MEDICAL_ITEM");
            assertThat(f.windowStart()).isEqualTo(T0);
            assertThat(f.windowEnd()).isEqualTo(T0);
        }

        @Test
        void aud01_firesOnAnyLineClassedNonMedical_evenIfSettled() {
            SettlementDecision d = settled(Fixtures.setl(), "psn-2", P, "T-1", T0, "30.00",
                    line(1, "TONIC01", "NON_MEDICAL", "1", "30.00", 7));
            assertThat(h.feed(d)).singleElement().satisfies(f -> assertThat(f.amount()).isEqualByComparingTo("30.00"));
        }

        @Test
        void aud01_silentForOtherRejectsAndMedicalItems() {
            assertThat(h.feed(rejected("psn-3", P, "T-1", T0, RejectCode.ITEM_UNKNOWN, "unknown",
                    requestLine(1, "ZZ", null, "1", "3.00")))).isEmpty();
            assertThat(h.feed(settled(Fixtures.setl(), "psn-3", P, "T-1", T0, "3.00", line(1, "XC08", "A", "1", "3.00", 7))))
                    .isEmpty();
        }

        @Test
        void aud01_sameRequestSeenAgain_noSecondAlert_newRequest_newAlert() {
            SettlementDecision d = rejected("psn-4", P, "T-1", T0, RejectCode.NON_MEDICAL_ITEM, "x",
                    requestLine(1, "SOAP", "NON_MEDICAL", "1", "8.00"));
            assertThat(h.feed(d)).hasSize(1);
            assertThat(h.feed(d)).isEmpty();
            assertThat(h.seen).hasSize(2);
            assertThat(h.feed(rejected("psn-4", P, "T-1", T0.plusMinutes(1), RejectCode.NON_MEDICAL_ITEM, "x",
                    requestLine(1, "SOAP", "NON_MEDICAL", "1", "8.00")))).hasSize(1);
        }

        @Test
        void aud01_cancellationIsNotARequest() {
            SettlementDecision d = settled(Fixtures.setl(), "psn-5", P, "T-1", T0, "30.00",
                    line(1, "TONIC01", "NON_MEDICAL", "1", "30.00", 7));
            assertThat(h.feed(cancelled(d))).isEmpty();
        }

        @Test
        void aud01_rejectedWithoutLineAmounts_isZero() {
            SettlementDecision d = rejected("psn-6", P, "T-1", T0, RejectCode.NON_MEDICAL_ITEM, "x");
            assertThat(h.feed(d)).singleElement().satisfies(f -> assertThat(f.amount()).isEqualTo("0.00"));
        }
    }

    @Nested
    class Aud13SuspendedSettlement {
        final RuleHarness h = new RuleHarness(new SuspendedSettlementRule());

        @Test
        void aud13_firesOnAgreementNotActiveAndSettlementHold() {
            assertThat(h.feed(rejected("psn-1", P, "T-1", T0, RejectCode.AGREEMENT_NOT_ACTIVE, "suspended",
                    requestLine(1, "XC08", "A", "1", "20.00")))).singleElement().satisfies(f -> {
                assertThat(f.ruleId()).isEqualTo("AUD-13");
                assertThat(f.severity()).isEqualTo(Severity.CLEAR_VIOLATION);
                assertThat(f.behaviourType()).isEqualTo(BehaviourType.SUSPENDED_SETTLEMENT);
                assertThat(f.amount()).isEqualByComparingTo("20.00");
            });
            assertThat(h.feed(rejected("psn-1", P, "T-1", T0, RejectCode.SETTLEMENT_HOLD, "hold"))).hasSize(1);
        }

        @Test
        void aud13_silentForOtherClm02Codes() {
            assertThat(h.feed(rejected("psn-1", P, "T-1", T0, RejectCode.PHARMACY_UNKNOWN, "?"))).isEmpty();
            assertThat(h.feed(rejected("psn-1", P, "T-1", T0, RejectCode.TERMINAL_PHARMACY_MISMATCH, "?"))).isEmpty();
        }

        @Test
        void aud13_oneAlertPerRequest() {
            SettlementDecision d = rejected("psn-1", P, "T-1", T0, RejectCode.AGREEMENT_NOT_ACTIVE, "suspended");
            assertThat(h.feed(d)).hasSize(1);
            assertThat(h.feed(d)).isEmpty();
        }
    }

    @Nested
    class Aud14CardMisuse {
        final RuleHarness h = new RuleHarness(new CardMisuseRule());

        @Test
        void aud14_firesOnLostCard() {
            assertThat(h.feed(rejected("psn-1", P, "T-1", T0, RejectCode.CARD_REPORTED_LOST, "card lost")))
                    .singleElement().satisfies(f -> {
                        assertThat(f.severity()).isEqualTo(Severity.HIGHLY_SUSPICIOUS);
                        assertThat(f.behaviourType()).isEqualTo(BehaviourType.CARD_MISUSE);
                        assertThat(f.evidence()).contains("lost");
                    });
        }

        @Test
        void aud14_firesOnDeceasedPerson_notOnLapsedOne() {
            assertThat(h.feed(rejected("psn-2", P, "T-1", T0, RejectCode.INSURED_NOT_ELIGIBLE, "insured person is DECEASED")))
                    .singleElement().satisfies(f -> assertThat(f.evidence()).contains("deceased"));
            assertThat(h.feed(rejected("psn-3", P, "T-1", T0, RejectCode.INSURED_NOT_ELIGIBLE, "insured person is LAPSED")))
                    .isEmpty();
            assertThat(h.feed(rejected("psn-3", P, "T-1", T0, RejectCode.IDENTITY_MISMATCH, "deceased?"))).isEmpty();
        }
    }

    @Nested
    class Aud12DeviceMisuse {
        final RuleHarness h = new RuleHarness(new DeviceMisuseRule());

        @Test
        void aud12_firesOnTerminalPharmacyMismatch() {
            assertThat(h.feed(rejected("psn-1", P, "T-9", T0, RejectCode.TERMINAL_PHARMACY_MISMATCH, "not yours")))
                    .singleElement().satisfies(f -> {
                        assertThat(f.ruleId()).isEqualTo("AUD-12");
                        assertThat(f.severity()).isEqualTo(Severity.CLEAR_VIOLATION);
                        assertThat(f.behaviourType()).isEqualTo(BehaviourType.DEVICE_MISUSE);
                        assertThat(f.subject().terminalId()).isEqualTo("T-9");
                    });
        }

        @Test
        void aud12_silentOtherwise() {
            assertThat(h.feed(rejected("psn-1", P, "T-9", T0, RejectCode.AGREEMENT_NOT_ACTIVE, "x"))).isEmpty();
            assertThat(h.feed(settled(Fixtures.setl(), "psn-1", P, "T-9", T0, "5.00"))).isEmpty();
        }
    }
}
