package cn.pharmacyclaims.testinfra;

import java.util.LinkedHashMap;
import java.util.Map;

/** Server settings for experiments, written {@code "name=value;name=value"} (PC_PG_CONFIG, PC_KAFKA_CONFIG, pc.pg.config). */
final class ServerSettings {
    private ServerSettings() {
    }

    /** The settings of every text in order (a later one overrides an earlier one); blank or null texts add nothing. */
    static Map<String, String> parse(String... texts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            for (String setting : text.split(";")) {
                int eq = setting.indexOf('=');
                if (eq > 0) {
                    out.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
                }
            }
        }
        return out;
    }
}
