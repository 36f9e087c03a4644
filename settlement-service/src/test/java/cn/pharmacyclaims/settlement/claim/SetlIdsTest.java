package cn.pharmacyclaims.settlement.claim;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SetlIdsTest {

    @Test
    void idsStartWithSAndSortByCreationTime() {
        String earlier = SetlIds.next(1_700_000_000_000L);
        String later = SetlIds.next(1_700_000_000_001L);
        assertThat(earlier).startsWith("S").hasSize(33).matches("S[0-9A-F]{32}");
        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void idsOfTheSameMillisecondDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(SetlIds.next(1_700_000_000_000L));
        }
        assertThat(ids).hasSize(10_000);
    }
}
