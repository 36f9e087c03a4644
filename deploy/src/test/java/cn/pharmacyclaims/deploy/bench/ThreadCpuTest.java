package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCpuTest {

    @Test
    void threadsAreGroupedByNameWithoutTheirNumber() {
        assertThat(ThreadCpu.group("GC Thread#3")).isEqualTo("GC Thread#");
        assertThat(ThreadCpu.group("vert.x-eventloo")).isEqualTo("vert.x-eventloo");
        assertThat(ThreadCpu.group("executor-thread-12")).isEqualTo("executor-thread-");
        assertThat(ThreadCpu.comm("42 (C2 CompilerThre) R 1 2 3")).isEqualTo("C2 CompilerThre");
    }

    @Test
    void theBusiestGroupsOfTheWindowComeFirst() {
        Map<Long, ThreadCpu.Reading> before = Map.of(
                1L, new ThreadCpu.Reading("GC Thread#0", 100),
                2L, new ThreadCpu.Reading("GC Thread#1", 100),
                3L, new ThreadCpu.Reading("C2 CompilerThre", 500),
                4L, new ThreadCpu.Reading("vert.x-eventloo", 10));
        Map<Long, ThreadCpu.Reading> after = Map.of(
                1L, new ThreadCpu.Reading("GC Thread#0", 120),
                2L, new ThreadCpu.Reading("GC Thread#1", 130),
                3L, new ThreadCpu.Reading("C2 CompilerThre", 510),
                4L, new ThreadCpu.Reading("vert.x-eventloo", 90),
                5L, new ThreadCpu.Reading("executor-thread-7", 5)); // born in the window

        List<ThreadCpu.Group> g = ThreadCpu.diff(before, after, 10_000_000_000L, 100, 3);

        // 10 s at 100 ticks/s: 80 ticks = 8% of one core
        assertThat(g).containsExactly(new ThreadCpu.Group("vert.x-eventloo", 1, 8.0),
                new ThreadCpu.Group("GC Thread#", 2, 5.0), new ThreadCpu.Group("C2 CompilerThre", 1, 1.0));
    }

    @Test
    void thisJvmHasThreadsToRead() {
        assertThat(ThreadCpu.read(ProcessHandle.current().pid())).isNotEmpty()
                .anySatisfy((tid, r) -> assertThat(r.name()).isNotBlank());
    }
}
