package cn.pharmacyclaims.common.calendar;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the line format of {@code calendar/cn-statutory-calendar.txt} (the format is
 * documented in that file's header). Problems are collected with their line numbers and thrown
 * together, so an uploader sees everything that is wrong in one answer.
 */
final class CalendarText {

    private CalendarText() {
    }

    static List<YearCalendar> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new CalendarValidationException("the calendar text is empty");
        }
        List<String> problems = new ArrayList<>();
        List<YearCalendar> years = new ArrayList<>();
        Set<Integer> seenYears = new HashSet<>();
        Block block = null;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = firstWhitespace(line);
            String keyword = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space).strip();
            switch (keyword) {
                case "year" -> {
                    finish(block, years, problems);
                    block = new Block(parseYear(rest, lineNo, problems), lineNo);
                    if (block.year != null && !seenYears.add(block.year)) {
                        problems.add("line " + lineNo + ": year " + block.year + " appears twice");
                    }
                }
                case "source" -> {
                    if (block == null) {
                        problems.add("line " + lineNo + ": 'source' before the first 'year' line");
                    } else if (rest.isEmpty()) {
                        problems.add("line " + lineNo + ": 'source' needs the notice it was read from");
                    } else if (block.source != null) {
                        problems.add("line " + lineNo + ": second 'source' for the year (put several notices on one line, separated by ' ; ')");
                    } else {
                        block.source = rest;
                    }
                }
                case "off", "work" -> {
                    if (block == null) {
                        problems.add("line " + lineNo + ": '" + keyword + "' before the first 'year' line");
                    } else {
                        block.addDays(keyword.equals("off"), rest, lineNo, problems);
                    }
                }
                default -> problems.add("line " + lineNo + ": unknown keyword '" + keyword
                        + "' (expected year, source, off or work)");
            }
        }
        finish(block, years, problems);
        if (years.isEmpty() && problems.isEmpty()) {
            problems.add("no 'year' block found");
        }
        if (!problems.isEmpty()) {
            throw new CalendarValidationException(problems);
        }
        return List.copyOf(years);
    }

    static String format(YearCalendar year) {
        TreeMap<LocalDate, Boolean> days = new TreeMap<>(); // true = off, false = make-up work
        year.offDays().forEach(d -> days.put(d, true));
        year.makeUpWorkDays().forEach(d -> days.put(d, false));
        StringBuilder out = new StringBuilder()
                .append("year ").append(year.year()).append('\n')
                .append("source ").append(year.source()).append('\n');
        Iterator<Map.Entry<LocalDate, Boolean>> it = days.entrySet().iterator();
        Map.Entry<LocalDate, Boolean> runStart = it.hasNext() ? it.next() : null;
        while (runStart != null) {
            LocalDate end = runStart.getKey();
            Map.Entry<LocalDate, Boolean> next = it.hasNext() ? it.next() : null;
            while (next != null && next.getValue().equals(runStart.getValue())
                    && next.getKey().equals(end.plusDays(1))) {
                end = next.getKey();
                next = it.hasNext() ? it.next() : null;
            }
            out.append(runStart.getValue() ? "off  " : "work ").append(runStart.getKey());
            if (!end.equals(runStart.getKey())) {
                out.append("..").append(end);
            }
            out.append('\n');
            runStart = next;
        }
        return out.toString();
    }

    private static void finish(Block block, List<YearCalendar> years, List<String> problems) {
        if (block == null || block.year == null || block.broken) {
            return;
        }
        String where = "year " + block.year + " (line " + block.line + ")";
        if (block.source == null) {
            problems.add(where + ": no 'source' line naming the notice");
            return;
        }
        try {
            years.add(new YearCalendar(block.year, block.off, block.work, block.source));
        } catch (CalendarValidationException e) {
            e.problems().forEach(p -> problems.add(where + ": " + p));
        }
    }

    private static Integer parseYear(String rest, int lineNo, List<String> problems) {
        if (!rest.matches("\\d{4}")) {
            problems.add("line " + lineNo + ": 'year' needs a four-digit year, got '" + rest + "'");
            return null;
        }
        return Integer.valueOf(rest);
    }

    /** A comment starts with '#' at the start of a line or after whitespace (so URL fragments survive). */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static int firstWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** One year block while it is being read. */
    private static final class Block {
        final Integer year;
        final int line;
        String source;
        boolean broken;
        final Set<LocalDate> off = new HashSet<>();
        final Set<LocalDate> work = new HashSet<>();
        final Map<LocalDate, Integer> lineOf = new HashMap<>();

        Block(Integer year, int line) {
            this.year = year;
            this.line = line;
        }

        void addDays(boolean isOff, String range, int lineNo, List<String> problems) {
            String kind = isOff ? "off" : "work";
            if (range.isEmpty() || firstWhitespace(range) >= 0) {
                fail(problems, "line " + lineNo + ": '" + kind + "' needs one date or one range like 2026-02-15..2026-02-23, got '" + range + "'");
                return;
            }
            int dots = range.indexOf("..");
            LocalDate from = date(dots < 0 ? range : range.substring(0, dots), lineNo, problems);
            LocalDate to = dots < 0 ? from : date(range.substring(dots + 2), lineNo, problems);
            if (from == null || to == null) {
                return;
            }
            if (to.isBefore(from)) {
                fail(problems, "line " + lineNo + ": range " + range + " ends before it starts");
                return;
            }
            if (ChronoUnit.DAYS.between(from, to) > 366) {
                fail(problems, "line " + lineNo + ": range " + range + " is longer than a year");
                return;
            }
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                Integer earlier = lineOf.putIfAbsent(d, lineNo);
                if (earlier != null) {
                    fail(problems, "line " + lineNo + ": " + d + " is already listed on line " + earlier);
                } else if (year != null && d.getYear() != year) {
                    fail(problems, "line " + lineNo + ": " + kind + " date " + d + " is outside year " + year);
                } else if (!isOff && !YearCalendar.isWeekend(d)) {
                    fail(problems, "line " + lineNo + ": make-up working day " + d + " is a " + d.getDayOfWeek()
                            + "; make-up working days must fall on a Saturday or Sunday");
                } else {
                    (isOff ? off : work).add(d);
                }
            }
        }

        private LocalDate date(String s, int lineNo, List<String> problems) {
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                fail(problems, "line " + lineNo + ": '" + s + "' is not a date (expected yyyy-MM-dd)");
                return null;
            }
        }

        private void fail(List<String> problems, String problem) {
            broken = true;
            problems.add(problem);
        }
    }
}
