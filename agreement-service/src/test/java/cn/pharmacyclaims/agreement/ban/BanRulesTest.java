package cn.pharmacyclaims.agreement.ban;

import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class BanRulesTest {
    static final LocalDate ON = LocalDate.of(2026, 11, 23);
    final BanRules rules = BanRules.defaults();

    @Test
    void agr12_illegalActsBanThreeYears_seriousBreachOneYear_fraudThreeYearsFromDiscovery() {
        assertThat(rules.afterTermination(TerminationGround.CASHING_OUT, ON)).get()
                .satisfies(p -> assertThat(p.until()).isEqualTo(ON.plusYears(3)));
        assertThat(rules.afterTermination(TerminationGround.GOODS_SWAPPING, ON).orElseThrow().until()).isEqualTo(ON.plusYears(3));
        assertThat(rules.afterTermination(TerminationGround.REPEATED_SUSPENSION, ON).orElseThrow().until()).isEqualTo(ON.plusYears(1));
        assertThat(rules.afterTermination(TerminationGround.UNFILED_KEY_CHANGE, ON).orElseThrow().until()).isEqualTo(ON.plusYears(1));
        BanRules.Period fraud = rules.afterTermination(TerminationGround.APPLICATION_FRAUD, ON).orElseThrow();
        assertThat(fraud.until()).isEqualTo(ON.plusYears(3));
        assertThat(fraud.why()).contains("fraud").contains(ON.toString());
    }

    @Test
    void agr12_theOwnRequestOrAnUnresumedRequestedSuspensionCarriesNoBan() {
        assertThat(rules.afterTermination(TerminationGround.PHARMACY_REQUEST, ON)).isEmpty();
        assertThat(rules.afterTermination(TerminationGround.REQUESTED_SUSPENSION_NOT_RESUMED, ON)).isEmpty();
    }

    @Test
    void agr12_secondFailedEvaluationBansOneYearFromDelivery_keyPersonFiveYears() {
        BanRules.Period p = rules.afterSecondFailedEvaluation(ON);
        assertThat(p.from()).isEqualTo(ON);
        assertThat(p.until()).isEqualTo(ON.plusYears(1));
        assertThat(p.covers(ON)).isTrue();
        assertThat(p.covers(ON.plusYears(1).minusDays(1))).isTrue();
        assertThat(p.covers(ON.plusYears(1))).isFalse();
        assertThat(rules.keyPerson(ON).until()).isEqualTo(ON.plusYears(5));
    }

    @Test
    void aud23_identityNumbersAreMaskedInSubjectKeysAndDisplay() {
        Person p = new Person("ID_CARD", "440102199001011234");
        assertThat(p.subjectKey()).isEqualTo("PERSON:ID_CARD:440102199001011234");
        assertThat(Person.maskKey(p.subjectKey())).isEqualTo("PERSON:ID_CARD:440*************34");
        assertThat(p.masked()).isEqualTo("ID_CARD:440*************34");
        assertThat(p.toString()).doesNotContain("199001011");
        assertThat(Person.maskKey(Person.pharmacyKey("P44010500001"))).isEqualTo("PHARMACY:P44010500001");
    }
}
