package cn.pharmacyclaims.gateway.validation;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast reading of ISO date-times accepts, refuses and reads exactly what the JDK's formatter does. */
class IsoDateTimesTest {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

    private static void sameAsFormatter(String s) {
        OffsetDateTime expected;
        try {
            expected = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> IsoDateTimes.parseOffsetDateTime(s)).as(s).isInstanceOf(DateTimeParseException.class);
            assertThat(IsoDateTimes.fast(s)).as(s).isNull();
            return;
        }
        OffsetDateTime actual = IsoDateTimes.parseOffsetDateTime(s);
        assertThat(actual).as(s).isEqualTo(expected);
        assertThat(actual.getOffset()).as(s).isEqualTo(expected.getOffset());
    }

    @Test
    void commonShapesAndTheirNeighbours() {
        for (String s : List.of(
                "2026-11-23T10:15:00+08:00", "2026-11-23T10:15+08:00", "2026-11-23T10:15:00Z", "2026-11-23T10:15:00.1Z",
                "2026-11-23T10:15:00.123456789-03:30", "2026-11-23T10:15:00.1234567890Z", "2026-11-23T10:15:00.Z",
                "2026-11-23T10:15:00-00:00", "2026-11-23T10:15:00+18:00", "2026-11-23T10:15:00+18:01", "2026-11-23T10:15:00+19:00",
                "2026-11-23T10:15:00+08:60", "2026-11-23T10:15:00+08", "2026-11-23T10:15:00+0800", "2026-11-23T10:15:00+08:00:00",
                "2026-11-23t10:15:00z", "2026-11-23T10:15:00", "2026-11-23 10:15:00+08:00", "2026-02-29T10:15:00Z",
                "2024-02-29T10:15:00Z", "2026-04-31T10:15:00Z", "2026-13-01T10:15:00Z", "2026-00-01T10:15:00Z",
                "2026-11-00T10:15:00Z", "2026-11-23T24:00:00Z", "2026-11-23T23:60:00Z", "2026-11-23T23:59:60Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+12026-11-23T10:15:00Z", "-2026-11-23T10:15:00Z",
                "2026-1-23T10:15:00Z", "2026-11-23T1:15:00Z", "2026-11-23T10:15:0Z", "2026-11-23T10:15:00+8:00",
                "2026-11-23T10:15:00+08:00 ", " 2026-11-23T10:15:00+08:00", "2026-11-23T10:15:00+08:00x", "", "Z",
                "2026-11-23T10:15:00.+08:00", "2026-11-23T10:15:00.5", "2026-11-23T10:15Z", "2026-11-23T10:15:00.000000000+08:00",
                "２026-11-23T10:15:00Z")) {
            sameAsFormatter(s);
        }
    }

    @Test
    void randomNeighboursOfValidTimes() {
        Random random = new Random(42);
        String alphabet = "0123456789-:T.Z+ zt";
        List<String> seeds = List.of("2026-11-23T10:15:00+08:00", "2026-11-23T10:15:00.123Z", "2024-02-29T23:59-11:45");
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(s.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> {
                        if (at < s.length()) {
                            s.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < s.length()) {
                            s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        }
                    }
                }
            }
            cases.add(s.toString());
        }
        cases.forEach(IsoDateTimesTest::sameAsFormatter);
    }

    @Test
    void clm01_msgIdStampsAreRealDateTimesExactlyAsTheStrictFormatterSays() {
        Random random = new Random(7);
        List<String> stamps = new ArrayList<>(List.of("20261123101500", "20260229101500", "20240229101500", "20261131000000",
                "20261301000000", "20261100000000", "20261123240000", "20261123236000", "20261123235960", "00000101000000",
                "99991231235959"));
        for (int i = 0; i < 20_000; i++) {
            stamps.add(String.format("%04d%02d%02d%02d%02d%02d", random.nextInt(10_000), random.nextInt(14), random.nextInt(33),
                    random.nextInt(26), random.nextInt(62), random.nextInt(62)));
        }
        for (String stamp : stamps) {
            boolean expected;
            try {
                LocalDateTime.parse(stamp, STAMP);
                expected = true;
            } catch (DateTimeParseException e) {
                expected = false;
            }
            assertThat(IsoDateTimes.isStamp("P44010500001" + stamp + "0001", 12)).as(stamp).isEqualTo(expected);
        }
    }
}
