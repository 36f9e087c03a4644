package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProcStatsTest {

    // a real /proc/<pid>/stat line (a JVM): utime 4182, stime 371
    static final String JAVA_STAT = "12345 (java) S 1 12345 12345 0 -1 4194560 118765 0 3 0 4182 371 0 0 20 0 45 0 "
            + "2048 5000000000 90000 18446744073709551615 1 1 0 0 0 0 0 2 16800973 0 0 0 17 1 0 0 0 0 0";

    @Test
    void cpuTicksAreUserPlusSystemTime() {
        assertThat(ProcStats.cpuTicks(JAVA_STAT)).isEqualTo(4182 + 371);
        assertThat(ProcStats.parentPid(JAVA_STAT)).isEqualTo(1);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String pg = "777 (postgres: postgres settlement 127.0.0.1(5432) idle) S 700 700 700 0 -1 4194304 50 0 0 0 "
                + "25 7 0 0 20 0 1 0 3000 300000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";

        assertThat(ProcStats.cpuTicks(pg)).isEqualTo(32);
        assertThat(ProcStats.parentPid(pg)).isEqualTo(700);
    }

    @Test
    void notAStatLineIsRefused() {
        assertThatThrownBy(() -> ProcStats.cpuTicks("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void residentAndProportionalSizesAreReadInKilobytes() {
        String status = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 5000000 kB\nVmRSS:\t  356124 kB\n"
                + "RssAnon:\t  300000 kB\nThreads:\t45\n";
        String smaps = "00400000-7fff0000 ---p 00000000 00:00 0 [rollup]\nRss:              262144 kB\nPss:               40960 kB\n"
                + "Pss_Anon:           1024 kB\n";

        assertThat(ProcStats.kbField(status, "VmRSS")).isEqualTo(356_124);
        assertThat(ProcStats.kbField(smaps, "Pss")).isEqualTo(40_960); // not Pss_Anon
        assertThat(ProcStats.kbField(status, "VmSwap")).isEqualTo(-1);
    }

    @Test
    void machineBusyTimeExcludesIdleAndIowait() {
        String procStat = "cpu  1000 50 300 8000 100 20 30 0 0 0\ncpu0 500 25 150 4000 50 10 15 0 0 0\nintr 12345\n";

        ProcStats.MachineTicks t = ProcStats.machineTicks(procStat);

        assertThat(t.total()).isEqualTo(1000 + 50 + 300 + 8000 + 100 + 20 + 30);
        assertThat(t.busy()).isEqualTo(1000 + 50 + 300 + 20 + 30);
    }

    @Test
    void cpuPercentIsOfOneCore() {
        // 150 ticks at 100/s in one second: one and a half cores busy
        assertThat(ProcStats.cpuPercent(1000, 1150, 1_000_000_000L, 100)).isCloseTo(150.0, within(1e-9));
        assertThat(ProcStats.cpuPercent(0, 50, 2_000_000_000L, 100)).isCloseTo(25.0, within(1e-9));
        assertThat(ProcStats.cpuPercent(0, 50, 0, 100)).isZero();
    }

    @Test
    void thePostmasterPidIsTheFirstLineOfItsPidFile(@TempDir Path dataDir) throws Exception {
        assertThat(ProcStats.postmasterPid(dataDir)).isEmpty();
        Files.writeString(dataDir.resolve("postmaster.pid"), "4242\n/work/main/.local/bench/pg\n1763860000\n55432\n");

        assertThat(ProcStats.postmasterPid(dataDir)).hasValue(4242);
    }

    @Test
    void liveReadingsOfThisJvmAreSensible() {
        long self = ProcessHandle.current().pid();

        assertThat(ProcStats.cpuTicks(self)).isPositive();
        assertThat(ProcStats.rssKb(self)).isGreaterThan(10_000); // a JVM holds more than 10 MB
        assertThat(ProcStats.cpuTicks(Long.MAX_VALUE)).isEqualTo(-1); // no such process
    }

    @Test
    void aGroupsUsageIsAveragedOverTheTimeOfTheWindowOnly() {
        long s = 1_000_000_000L;
        List<ProcSampler.Sample> samples = List.of(
                new ProcSampler.Sample(1, s, 500, 100_000, -1), // before the window
                new ProcSampler.Sample(2, s, 40, 200_000, -1),
                new ProcSampler.Sample(3, 3 * s, 180, 300_000, -1), // a late sample covering 3 s at 60%
                new ProcSampler.Sample(4, s, 80, 250_000, -1),
                new ProcSampler.Sample(5, s, 900, 900_000, -1)); // after

        ProcSampler.Usage u = ProcSampler.summarise("settlement-service", samples, 1, 4, 1, 100);

        // (40 + 180 + 80) ticks at 100/s over 5 s: 60% of one core, not the mean of 40%, 60%, 80%
        assertThat(u.cpuAvgPercent()).isEqualTo(60.0);
        assertThat(u.cpuMaxPercent()).isEqualTo(80.0);
        assertThat(u.rssMaxMb()).isEqualTo(293.0); // 300,000 kB
        assertThat(u.rssEndMb()).isEqualTo(244.1);
        assertThat(u.pssMaxMb()).isEqualTo(-1);
    }

    @Test
    void theSamplerReadsThisJvmAndTheMachine() throws Exception {
        long self = ProcessHandle.current().pid();
        try (ProcSampler sampler = new ProcSampler(ProcStats.ticksPerSecond())) {
            sampler.group("me", () -> List.of(self), true);
            sampler.start();
            long from = System.nanoTime();
            long end = from + 1_200_000_000L;
            long spin = 0;
            while (System.nanoTime() < end) {
                spin += Long.numberOfTrailingZeros(System.nanoTime()); // keep one core busy
            }
            sampler.sample();
            List<ProcSampler.Usage> usage = sampler.usage(from, System.nanoTime());

            ProcSampler.Usage me = usage.stream().filter(x -> x.name().equals("me")).findFirst().orElseThrow();
            ProcSampler.Usage machine = usage.stream().filter(x -> x.name().equals(ProcSampler.MACHINE)).findFirst().orElseThrow();
            assertThat(spin).isPositive();
            assertThat(me.cpuAvgPercent()).isPositive().isLessThanOrEqualTo(100.0 * ProcStats.cores() + 50);
            assertThat(me.rssMaxMb()).isPositive();
            assertThat(me.pssMaxMb()).isPositive();
            assertThat(machine.cpuAvgPercent()).isGreaterThanOrEqualTo(me.cpuAvgPercent() - 20);
        }
    }
}
