package cn.pharmacyclaims.agreement.calendar;

import cn.pharmacyclaims.common.calendar.CalendarValidationException;
import cn.pharmacyclaims.common.calendar.YearCalendar;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar year as staff upload it: the text format of {@link YearCalendar#parse} or JSON. Every
 * problem is reported at once (400 problem naming each bad line or field); nothing is stored.
 */
public final class CalendarRequests {
    private static final Pattern LINE = Pattern.compile("^(?:year \\d+ \\()?line (\\d+)\\)?:.*", Pattern.DOTALL);

    /** JSON body: dates as yyyy-MM-dd strings, so that each bad one can be named. */
    public record YearRequest(Integer year, List<String> offDays, List<String> makeUpWorkDays, String source) {
    }

    private CalendarRequests() {
    }

    public static YearCalendar fromText(String text) {
        try {
            return YearCalendar.parse(text);
        } catch (CalendarValidationException e) {
            List<FieldError> errors = e.problems().stream().map(p -> {
                Matcher m = LINE.matcher(p);
                return new FieldError(m.matches() ? "line " + m.group(1) : "calendar", p);
            }).toList();
            throw invalid(errors);
        }
    }

    public static YearCalendar fromJson(YearRequest body) {
        if (body == null) {
            throw invalid(List.of(new FieldError("$", "a calendar year is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        Integer year = body.year();
        if (year == null) {
            errors.add(new FieldError("year", "is required"));
        } else if (year < YearCalendar.MIN_YEAR || year > YearCalendar.MAX_YEAR) {
            errors.add(new FieldError("year", "must be between " + YearCalendar.MIN_YEAR + " and " + YearCalendar.MAX_YEAR));
            year = null;
        }
        if (body.source() == null || body.source().isBlank()) {
            errors.add(new FieldError("source", "is required: the notice the calendar was read from"));
        } else if (body.source().contains("\n") || body.source().contains("\r")) {
            errors.add(new FieldError("source", "must be a single line"));
        }
        Map<LocalDate, String> seen = new HashMap<>();
        Set<LocalDate> off = dates(body.offDays(), "offDays", year, false, seen, errors);
        Set<LocalDate> work = dates(body.makeUpWorkDays(), "makeUpWorkDays", year, true, seen, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        try {
            return YearCalendar.of(year, off, work, body.source());
        } catch (CalendarValidationException e) {
            throw invalid(e.problems().stream().map(p -> new FieldError("$", p)).toList());
        }
    }

    private static Set<LocalDate> dates(List<String> values, String field, Integer year, boolean makeUp, Map<LocalDate, String> seen,
                                        List<FieldError> errors) {
        Set<LocalDate> out = new LinkedHashSet<>();
        if (values == null) {
            return out;
        }
        for (int i = 0; i < values.size(); i++) {
            String at = field + "[" + i + "]";
            String v = values.get(i);
            LocalDate d;
            try {
                d = LocalDate.parse(v == null ? "" : v.strip());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(at, "'" + v + "' is not a date (yyyy-MM-dd)"));
                continue;
            }
            if (year != null && d.getYear() != year) {
                errors.add(new FieldError(at, d + " is outside year " + year));
            } else if (makeUp && d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                errors.add(new FieldError(at, "make-up working day " + d + " is a " + d.getDayOfWeek()
                        + "; make-up working days fall on a Saturday or Sunday"));
            } else {
                String first = seen.putIfAbsent(d, at);
                if (first != null) {
                    errors.add(new FieldError(at, d + " is already listed as " + first));
                } else {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static ProblemException invalid(List<FieldError> errors) {
        return ProblemException.badRequest("the calendar year has " + errors.size() + " problem(s); nothing was loaded", errors);
    }
}
