package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleTest {

    @Test
    void intendedTimesAreFixedByTheIndexAloneAtTheOfferedRate() {
        Schedule s = new Schedule(1_000_000_000L, 500, Duration.ofSeconds(30), Duration.ofSeconds(300));

        assertThat(s.intendedNanos(0)).isEqualTo(1_000_000_000L);
        assertThat(s.intendedNanos(1)).isEqualTo(1_002_000_000L);
        assertThat(s.intendedNanos(500)).isEqualTo(2_000_000_000L);
        // computed from i, never accumulated: no drift after 150,000 requests
        assertThat(s.intendedNanos(150_000)).isEqualTo(1_000_000_000L + 300_000_000_000L);
    }

    @Test
    void aNonIntegralIntervalDoesNotDriftEither() {
        Schedule s = new Schedule(0, 3, Duration.ZERO, Duration.ofSeconds(1000));

        assertThat(s.intendedNanos(1)).isEqualTo(333_333_333L);
        assertThat(s.intendedNanos(3_000)).isEqualTo(1_000_000_000_000L);
        assertThat(s.totalCount()).isEqualTo(3_000);
    }

    @Test
    void warmUpAndMeasuredWindowSplitTheRequestsByIntendedTime() {
        Schedule s = new Schedule(0, 200, Duration.ofSeconds(10), Duration.ofSeconds(60));

        assertThat(s.warmupCount()).isEqualTo(2_000);
        assertThat(s.totalCount()).isEqualTo(14_000);
        assertThat(s.measured(1_999)).isFalse();
        assertThat(s.measured(2_000)).isTrue();
        assertThat(s.measured(13_999)).isTrue();
        assertThat(s.measured(14_000)).isFalse();
        assertThat(s.measuredStartNanos()).isEqualTo(10_000_000_000L);
        assertThat(s.measuredEndNanos()).isEqualTo(70_000_000_000L);
    }

    @Test
    void eachRequestBelongsToTheSecondItIsDueIn() {
        Schedule s = new Schedule(5, 4, Duration.ZERO, Duration.ofSeconds(3));

        assertThat(s.secondOf(0)).isZero();
        assertThat(s.secondOf(3)).isZero();
        assertThat(s.secondOf(4)).isEqualTo(1);
        assertThat(s.secondOf(11)).isEqualTo(2);
    }

    @Test
    void aFractionalRateSchedulesTheRequestsThatFitTheWindow() {
        Schedule s = new Schedule(0, 2.5, Duration.ofSeconds(1), Duration.ofSeconds(1));

        // due at 0, 0.4, 0.8 (warm-up), then 1.2, 1.6 (measured); 2.0 is outside the window
        assertThat(s.warmupCount()).isEqualTo(3);
        assertThat(s.totalCount()).isEqualTo(5);
    }
}
