package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {
    static final Path ROOT = Path.of("/work/main");
    static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 23, 10, 15, 0);

    @Test
    void defaultsAreFiveHundredPerSecondForFiveMinutesAfterThirtySecondsOfWarmUp() {
        BenchOptions o = BenchOptions.parse(new String[0], ROOT, NOW);

        assertThat(o.rate()).isEqualTo(500);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(300));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(240));
        assertThat(o.size()).isEqualTo("small");
        assertThat(o.out()).isEqualTo(Path.of("/work/main/bench-results/20261123-101500"));
        assertThat(o.analyze()).isTrue();
    }

    @Test
    void everyOptionIsRead() {
        BenchOptions o = BenchOptions.parse(new String[]{"--rate", "2000", "--duration", "5m", "--warmup", "1500ms",
                "--size", "city", "--out", "/tmp/b", "--no-analyze"}, ROOT, NOW);

        assertThat(o.rate()).isEqualTo(2000);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.warmup()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.size()).isEqualTo("city");
        assertThat(o.out()).isEqualTo(Path.of("/tmp/b"));
        assertThat(o.analyze()).isFalse();
    }

    @Test
    void durationsAcceptSecondsMinutesMillisecondsOrABareNumber() {
        assertThat(BenchOptions.duration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchOptions.duration("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(BenchOptions.duration("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> BenchOptions.duration("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--rate", "0"}, ROOT, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--fast"}, ROOT, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fast");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--rate"}, ROOT, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGatewayRateIsRaisedOnlyWhenTheTerminalsWouldBeNearTheirLimit() {
        var extra = new java.util.HashMap<cn.pharmacyclaims.deploy.LocalStack.Service, java.util.List<String>>();
        assertThat(Bench.gatewayRate(2000, 2000, extra)).startsWith("default");
        assertThat(extra).isEmpty();

        String note = Bench.gatewayRate(2000, 50, extra); // 40/s per terminal
        assertThat(note).startsWith("raised to 160/s, burst 320");
        assertThat(extra.get(cn.pharmacyclaims.deploy.LocalStack.Service.GATEWAY))
                .containsExactly("-Dpc.gateway.rate.per-second=160", "-Dpc.gateway.rate.burst=320");
    }
}
