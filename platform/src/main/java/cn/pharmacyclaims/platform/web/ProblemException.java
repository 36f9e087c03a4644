package cn.pharmacyclaims.platform.web;

/** Thrown by resources and domain services to answer with a problem response; changes nothing. */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String detail, java.util.List<Problem.FieldError> errors) {
        return new ProblemException(Problem.invalid(detail, errors));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "Not found", detail));
    }

    public static ProblemException conflict(String detail, String code) {
        return new ProblemException(Problem.of(409, "Conflict", detail).withCode(code));
    }
}
