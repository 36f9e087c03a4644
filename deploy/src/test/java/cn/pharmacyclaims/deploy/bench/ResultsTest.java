package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultsTest {
    static final long S = 1_000_000_000L;

    @Test
    void latencyIsMeasuredFromTheIntendedTimeAndOnlyTheMeasuredWindowCounts() {
        Schedule schedule = new Schedule(0, 10, Duration.ofSeconds(1), Duration.ofSeconds(1)); // 10 warm-up, 10 measured
        Results r = new Results(schedule);
        for (long i = 0; i < 20; i++) {
            long due = schedule.intendedNanos(i);
            // the sender was held up: request 15 went out 500 ms late and took 5 ms once sent
            long done = due + (i == 15 ? 505_000_000L : 5_000_000L);
            r.completed(i, Workload.Kind.PURCHASE, due, done, "200 SETTLED");
        }

        assertThat(r.latency().count()).isEqualTo(10);
        assertThat(r.latency().p50()).isCloseTo(5.0, within(0.01));
        assertThat(r.latency().max()).isCloseTo(505.0, within(0.5));
        assertThat(r.warmupOutcomes()).containsEntry("200 SETTLED", 10L);
        assertThat(r.outcomes()).containsEntry("200 SETTLED", 10L);
        assertThat(r.measuredSettled()).isEqualTo(10);
    }

    @Test
    void throughputIsAnswersOverTheWindowOrOverTheBacklogWhenAnswersCameLate() {
        Schedule schedule = new Schedule(0, 100, Duration.ZERO, Duration.ofSeconds(2));
        Results onTime = new Results(schedule);
        Results late = new Results(schedule);
        for (long i = 0; i < 200; i++) {
            long due = schedule.intendedNanos(i);
            onTime.completed(i, Workload.Kind.PURCHASE, due, due + 1_000_000, "200 SETTLED");
            // a stall: everything answered only by the end of second 4
            late.completed(i, Workload.Kind.PURCHASE, due, 4 * S, "200 SETTLED");
        }

        assertThat(onTime.achievedPerSecond()).isCloseTo(100, within(0.01));
        assertThat(late.achievedPerSecond()).isCloseTo(50, within(0.01));
    }

    @Test
    void errorsAreEverythingButTwoHundredAndTwoHundredTwoAnswers() {
        Schedule schedule = new Schedule(0, 10, Duration.ZERO, Duration.ofSeconds(1));
        Results r = new Results(schedule);
        String[] outcomes = {"200 SETTLED", "200 REJECTED", "202 PENDING", "503", "429", "timeout", "io-error ConnectException",
                "200 CANCELLED", "200 REVERSED", "401"};
        for (int i = 0; i < outcomes.length; i++) {
            r.completed(i, Workload.Kind.PURCHASE, schedule.intendedNanos(i), schedule.intendedNanos(i) + 1000, outcomes[i]);
        }

        assertThat(r.errors()).isEqualTo(5);
        assertThat(r.pending()).isEqualTo(1);
        assertThat(r.measuredOk()).isEqualTo(4);
    }

    @Test
    void deliberateRejectionsAreToldApartFromUnintendedOnes() {
        Results r = new Results(new Schedule(0, 1, Duration.ZERO, Duration.ofSeconds(1)));
        r.rejected(Workload.Kind.NON_MEDICAL, "NON_MEDICAL_ITEM");
        r.rejected(Workload.Kind.UNKNOWN_ITEM, "ITEM_UNKNOWN");
        r.rejected(Workload.Kind.PURCHASE, "REVERSED_BEFORE_ARRIVAL");
        r.rejected(Workload.Kind.PURCHASE, "REFILL_TOO_SOON");

        assertThat(r.unexpectedRejects()).containsOnlyKeys("REFILL_TOO_SOON");
        assertThat(r.rejectCodes()).hasSize(4);
    }

    @Test
    void theTimelineShowsEverySecondWithItsOwnPercentiles() {
        Schedule schedule = new Schedule(0, 2, Duration.ofSeconds(1), Duration.ofSeconds(2));
        Results r = new Results(schedule);
        for (long i = 0; i < 6; i++) {
            long due = schedule.intendedNanos(i);
            r.completed(i, Workload.Kind.PURCHASE, due, due + (i + 1) * 10_000_000L,
                    i == 5 ? "503" : i == 4 ? "202 PENDING" : "200 SETTLED");
        }

        var t = r.timeline();
        assertThat(t).hasSize(3);
        assertThat(t.get(0).warmup()).isTrue();
        assertThat(t.get(1).warmup()).isFalse();
        assertThat(t.get(2).max()).isCloseTo(60, within(0.5));
        assertThat(t.get(2).errors()).isEqualTo(1);
        // only HTTP 200 answers count as answered: not the 202, not the 503
        assertThat(t.stream().mapToLong(Results.Second::okCompleted).sum()).isEqualTo(4);
    }
}
