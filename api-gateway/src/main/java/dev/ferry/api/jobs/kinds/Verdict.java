package dev.ferry.api.jobs.kinds;

import dev.ferry.messages.RequestContext;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every admission check of a job that failed, in Manila's order (empty: admitted). The API answers the first; a
 * claim of a cast that did not come through the API answers what is gone first, then what the cast's context may
 * not do (with a user message, and the cast parked), then the rest: a forbidden cast is never told more.
 */
public record Verdict(List<Refusal> refusals) {
    public Verdict {
        refusals = List.copyOf(refusals);
    }

    public boolean admitted() {
        return refusals.isEmpty();
    }

    /** Throws the refusal the API answers. */
    public void requireForApi() {
        if (!refusals.isEmpty()) {
            throw refusals.get(0);
        }
    }

    /**
     * Throws the refusal a claim answers: a {@link CastForbidden} saying that the context of {@code caller} may not
     * do {@code what}, told to the user at {@code notice}, when its context is at fault.
     */
    public void requireForCast(RequestContext caller, String what, Supplier<Notice> notice) {
        if (refusals.isEmpty()) {
            return;
        }
        Refusal first = refusals.stream().min(Comparator.comparing(Refusal::ground)).orElseThrow();
        if (first.ground() != Refusal.Ground.FORBIDDEN) {
            throw first;
        }
        throw new CastForbidden(first, notice.get(), "the cast's context (request " + caller.requestId()
                + ", project " + caller.projectId() + ", user " + caller.userId() + (caller.isAdmin() ? ", admin" : "")
                + ") may not " + what + ": " + first.reason() + "; only the owning project or an admin may. Nothing "
                + "was done; the cast is parked");
    }
}
