package cn.pharmacyclaims.agreement.calendar;

import cn.pharmacyclaims.common.calendar.YearCalendar;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CalendarRequestsTest {

    @Test
    void set04_theTextFormatIsParsed() {
        YearCalendar y = CalendarRequests.fromText("year 2031\nsource notice\noff 2031-01-01\nwork 2031-01-04\n");
        assertThat(y.year()).isEqualTo(2031);
        assertThat(y.offDays()).containsExactly(LocalDate.of(2031, 1, 1));
        assertThat(y.makeUpWorkDays()).containsExactly(LocalDate.of(2031, 1, 4));
    }

    @Test
    void set04_everyBadLineOfTheTextIsNamed() {
        ProblemException e = catchThrowableOfType(() -> CalendarRequests.fromText(
                "year 2031\nsource notice\noff 2030-12-31\nwork 2031-01-06\n"), ProblemException.class);
        assertThat(e.problem().status()).isEqualTo(400);
        List<FieldError> errors = e.problem().errors();
        assertThat(errors).extracting(FieldError::field).containsExactly("line 3", "line 4");
        assertThat(errors.get(0).message()).contains("2030-12-31").contains("outside year 2031");
        assertThat(errors.get(1).message()).contains("MONDAY");
    }

    @Test
    void set04_everyBadFieldOfTheJsonIsNamed() {
        ProblemException e = catchThrowableOfType(() -> CalendarRequests.fromJson(new CalendarRequests.YearRequest(2031,
                List.of("2031-01-04", "2032-01-01", "tomorrow"), List.of("2031-01-04", "2031-01-06"), " ")), ProblemException.class);
        assertThat(e.problem().errors()).extracting(FieldError::field)
                .containsExactly("source", "offDays[1]", "offDays[2]", "makeUpWorkDays[0]", "makeUpWorkDays[1]");
        assertThat(e.problem().errors().get(1).message()).contains("outside year 2031");
        assertThat(e.problem().errors().get(3).message()).contains("already listed as offDays[0]");
    }

    @Test
    void set04_aGoodJsonYear() {
        YearCalendar y = CalendarRequests.fromJson(new CalendarRequests.YearRequest(2031, List.of("2031-01-01"), List.of(), "notice"));
        assertThat(y.offDays()).containsExactly(LocalDate.of(2031, 1, 1));
        assertThat(catchThrowableOfType(() -> CalendarRequests.fromJson(new CalendarRequests.YearRequest(null, null, null, "n")),
                ProblemException.class).problem().errors()).extracting(FieldError::field).containsExactly("year");
    }
}
