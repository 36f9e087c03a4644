package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuProbeTest {

    @Test
    void measuresAHashingRateAndSaysWhenItWasTaken() {
        double rate = CpuProbe.sha256MegabytesPerSecond(200);
        // any core of this century hashes more than 10 MB/s; a broken loop gives 0 or NaN
        assertThat(rate).isGreaterThan(10).isLessThan(100_000);
        assertThat(CpuProbe.describe(512.4, 498.6))
                .isEqualTo("SHA-256 on one thread: 512 MB/s before the stack started, 499 MB/s after it stopped");
    }
}
