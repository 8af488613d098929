package dev.ferry.api.jobs.kinds;

/**
 * A cast whose context may not ask for its job: its claim is refused, the user is told ({@link #notice()},
 * detail {@code REQUEST_PROJECT_NOT_ALLOWED}) and the node parks the cast.
 */
public final class CastForbidden extends Refusal {
    private static final long serialVersionUID = 1L;
    private final transient Notice notice;

    CastForbidden(Refusal refusal, Notice notice, String reason) {
        super(Ground.FORBIDDEN, refusal.httpStatus(), refusal.answer(), reason);
        this.notice = notice;
    }

    public Notice notice() {
        return notice;
    }
}
