package dev.ferry.api.jobs.kinds;

/**
 * A check of a job kind's admission that failed, in the words of both who may ask: the API answers
 * {@link #httpStatus()} with {@link #answer()} (Manila's text), a claim of a cast that did not come through the
 * API answers {@link #reason()} (what an operator reading a data node's log needs). Thrown inside a transaction,
 * it rolls it back.
 */
public class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of check failed; a claim answers what is gone first, then what its context may not do. */
    public enum Ground {
        /** What the job needs does not exist. */
        GONE,
        /** The caller's roles or project may not ask for it: a claim of a cast records a user message and parks it. */
        FORBIDDEN,
        /** Its statuses or sizes do not allow it now. */
        INVALID
    }

    private final Ground ground;
    private final int httpStatus;
    private final String reason;

    public Refusal(Ground ground, int httpStatus, String answer, String reason) {
        super(answer, null, false, false);
        this.ground = ground;
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    /** A 400 whose answer is also the claim's reason. */
    public static Refusal invalid(String answer) {
        return new Refusal(Ground.INVALID, 400, answer, answer);
    }

    public Ground ground() {
        return ground;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** What the API answers. */
    public String answer() {
        return getMessage();
    }

    /** What a claim answers. */
    public String reason() {
        return reason;
    }
}
