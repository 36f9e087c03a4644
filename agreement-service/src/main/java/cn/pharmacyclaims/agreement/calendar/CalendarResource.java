package cn.pharmacyclaims.agreement.calendar;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The statutory working-day calendar (SET-04): years loaded by admins, and deadline answers for staff. */
@Path("/api/v1")
@Tag(name = "Calendar", description = "Statutory working-day calendar (SET-04, AGR-02, AGR-06)")
@Produces(MediaType.APPLICATION_JSON)
public class CalendarResource {
    static final int MAX_N = 1000;

    private final CalendarService service;
    private final SecurityIdentity identity;

    public CalendarResource(CalendarService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @Path("admin/calendar/years")
    @Consumes(MediaType.TEXT_PLAIN)
    @RolesAllowed("admin")
    @Operation(summary = "Load a year's statutory calendar in the text format of the bundled file",
            description = "400 naming every bad line; 409 when the year is published already. Recomputes every provisional "
                    + "deadline and publishes CalendarYearLoaded on agreement.calendar-years.")
    public Uni<Response> loadText(String text) {
        return created(service.load(CalendarRequests.fromText(text), StaffPrincipal.of(identity)));
    }

    @POST
    @Path("admin/calendar/years")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Load a year's statutory calendar as JSON {year, offDays[], makeUpWorkDays[], source}")
    public Uni<Response> loadJson(CalendarRequests.YearRequest body) {
        return created(service.load(CalendarRequests.fromJson(body), StaffPrincipal.of(identity)));
    }

    @GET
    @Path("calendar/years")
    @RolesAllowed({"agency-officer", "finance-maker", "finance-checker", "auditor", "admin"})
    @Operation(summary = "The published calendar years (bundled and loaded)")
    public Uni<List<CalendarService.YearView>> years() {
        return service.years();
    }

    @GET
    @Path("calendar/years/{year}")
    @RolesAllowed({"agency-officer", "finance-maker", "finance-checker", "auditor", "admin"})
    @Operation(summary = "One published calendar year")
    public Uni<CalendarService.YearView> year(@PathParam("year") int year) {
        return service.year(year);
    }

    @GET
    @Path("calendar/working-days")
    @RolesAllowed({"agency-officer", "finance-maker", "finance-checker", "auditor", "admin"})
    @Operation(summary = "The n-th working day after a date (the date itself is day 0), and whether it is provisional")
    public Uni<CalendarService.WorkingDaysAnswer> workingDays(@QueryParam("from") String from, @QueryParam("n") String n) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate start = null;
        int count = 0;
        try {
            start = LocalDate.parse(from == null ? "" : from);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("from", "is required, a date yyyy-MM-dd"));
        }
        try {
            count = Integer.parseInt(n == null ? "" : n);
            if (count < 0 || count > MAX_N) {
                errors.add(new FieldError("n", "must be between 0 and " + MAX_N));
            }
        } catch (NumberFormatException e) {
            errors.add(new FieldError("n", "is required, a number of working days"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("invalid query", errors);
        }
        return service.workingDays(start, count);
    }

    private static Uni<Response> created(Uni<CalendarService.LoadResult> result) {
        return result.map(r -> Response.created(URI.create("/api/v1/calendar/years/" + r.year().year())).entity(r).build());
    }
}
