package cn.pharmacyclaims.settlement.claim;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guards of a group's set-based writes (step 26) that hold before any statement is sent; what
 * the statements store is checked against the real database by {@code GroupCommitTest} and the
 * rest of the settlement suite.
 */
class GroupWritesTest {
    private final SettlementStore store = new SettlementStore();

    @Test
    void clm12_aPersonTwiceInOneGroup_isRefusedBeforeAnyStatement() {
        // an UPDATE ... FROM unnest would debit such a person once: the group must fail and run one by one
        List<SettlementStore.Debit> debits = List.of(
                new SettlementStore.Debit("P1", new BigDecimal("5.00"), new BigDecimal("95.00")),
                new SettlementStore.Debit("P2", new BigDecimal("1.00"), null),
                new SettlementStore.Debit("P1", new BigDecimal("3.00"), new BigDecimal("92.00")));

        assertThatThrownBy(() -> store.debitAccounts(null, debits).await().indefinitely())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("person P1 debited twice in one group");
    }

    @Test
    void nothingToDebit_sendsNothing() {
        List<SettlementStore.Debit> none = List.of(new SettlementStore.Debit("P1", BigDecimal.ZERO, null),
                new SettlementStore.Debit("P2", null, null));

        assertThat(store.debitAccounts(null, none).await().indefinitely()).isNull();
    }

    @Test
    void rejectCodes_travelAsOneTextAndRefuseWhatWouldNotComeBack() {
        assertThat(SettlementStore.rejectCodes(List.of())).isEmpty();
        assertThat(SettlementStore.rejectCodes(List.of("NON_MEDICAL_ITEM", "ITEM_UNKNOWN"))).isEqualTo("NON_MEDICAL_ITEM,ITEM_UNKNOWN");
        assertThatThrownBy(() -> SettlementStore.rejectCodes(List.of("A,B"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettlementStore.rejectCodes(List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }
}
