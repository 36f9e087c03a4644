package cn.pharmacyclaims.audit.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** AUD-03: the batch intake finds a person's stored rows of an item by its JSON string in the items text. */
class ItemPatternTest {
    @Test
    void aud03_theItemCodeAsAJsonString_likeWildcardsEscaped() {
        assertThat(WindowBatch.itemPattern("XC08CAA0450101")).isEqualTo("%\"XC08CAA0450101\"%");
        assertThat(WindowBatch.itemPattern("A_B%C")).isEqualTo("%\"A\\_B\\%C\"%");
    }

    @Test
    void aud03_aCodeJsonWouldEscape_matchesEveryRow() {
        assertThat(WindowBatch.itemPattern("A\"B")).isEqualTo("%");
        assertThat(WindowBatch.itemPattern("A\\B")).isEqualTo("%");
        assertThat(WindowBatch.itemPattern("A\nB")).isEqualTo("%");
    }
}
