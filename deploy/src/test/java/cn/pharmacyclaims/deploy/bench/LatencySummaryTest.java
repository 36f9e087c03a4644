package cn.pharmacyclaims.deploy.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencySummaryTest {

    @Test
    void percentilesOfOneToTenThousandMicrosecondsAreReportedInMilliseconds() {
        Histogram h = LatencySummary.newHistogram();
        for (long us = 1; us <= 10_000; us++) {
            LatencySummary.record(h, us * 1000); // recorded from nanoseconds
        }

        LatencySummary s = LatencySummary.of(h);

        assertThat(s.count()).isEqualTo(10_000);
        // HdrHistogram with 3 significant digits: within 0.1% of the exact rank
        assertThat(s.p50()).isCloseTo(5.0, within(0.01));
        assertThat(s.p95()).isCloseTo(9.5, within(0.01));
        assertThat(s.p99()).isCloseTo(9.9, within(0.01));
        assertThat(s.p999()).isCloseTo(9.99, within(0.01));
        assertThat(s.max()).isCloseTo(10.0, within(0.01));
        assertThat(s.mean()).isCloseTo(5.0, within(0.01));
    }

    @Test
    void aSingleStallDominatesTheTailButNotTheMedian() {
        Histogram h = LatencySummary.newHistogram();
        for (int i = 0; i < 999; i++) {
            LatencySummary.record(h, 2_000_000); // 2 ms
        }
        LatencySummary.record(h, 3_000_000_000L); // one 3 s stall

        LatencySummary s = LatencySummary.of(h);

        assertThat(s.p50()).isCloseTo(2.0, within(0.01));
        assertThat(s.p99()).isCloseTo(2.0, within(0.01));
        assertThat(s.p999()).isCloseTo(2.0, within(0.01));
        assertThat(s.max()).isCloseTo(3000, within(3.0));
    }

    @Test
    void valuesBeyondTheRangeAreClampedNotLost() {
        Histogram h = LatencySummary.newHistogram();
        LatencySummary.record(h, 3_600_000_000_000L); // an hour
        LatencySummary.record(h, 0);

        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(LatencySummary.of(h).max()).isCloseTo(600_000, within(600.0));
    }

    @Test
    void anEmptyHistogramIsAllZeros() {
        assertThat(LatencySummary.of(LatencySummary.newHistogram())).isEqualTo(LatencySummary.EMPTY);
    }
}
