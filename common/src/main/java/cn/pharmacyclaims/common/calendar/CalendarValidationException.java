package cn.pharmacyclaims.common.calendar;

import java.util.List;

/**
 * A year calendar (or the text it was parsed from) is not acceptable. Lists every problem found,
 * each naming the bad date or line, so an upload API can report all of them at once.
 */
public class CalendarValidationException extends IllegalArgumentException {

    private final List<String> problems;

    public CalendarValidationException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public CalendarValidationException(String problem) {
        this(List.of(problem));
    }

    /** One human-readable message per problem, in the order they were found. */
    public List<String> problems() {
        return problems;
    }
}
