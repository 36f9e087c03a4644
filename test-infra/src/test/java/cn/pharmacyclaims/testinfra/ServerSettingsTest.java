package cn.pharmacyclaims.testinfra;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerSettingsTest {

    @Test
    void laterTextsOverrideEarlierOnes_andBlanksOrMalformedPartsAddNothing() {
        Map<String, String> s = ServerSettings.parse("fsync=off; max_wal_size = 1GB;;=x;junk",
                null, "", "fsync=on;shared_preload_libraries=pg_stat_statements");

        assertThat(s).containsExactly(Map.entry("fsync", "on"), Map.entry("max_wal_size", "1GB"),
                Map.entry("shared_preload_libraries", "pg_stat_statements"));
    }
}
