package dev.ferry.api.parked;

import java.util.List;
import java.util.Set;

/** Which parked messages an operator acts on: every one, or those with these ids. */
public record Selection(boolean all, List<String> ids) {
    public Selection {
        ids = List.copyOf(ids);
        if (all == !ids.isEmpty()) {
            throw new IllegalArgumentException("select either all messages or some ids, not both or neither");
        }
    }

    public static Selection every() {
        return new Selection(true, List.of());
    }

    public static Selection of(List<String> ids) {
        return new Selection(false, ids);
    }

    boolean includes(String id) {
        return all || ids.contains(id);
    }

    /** True when the messages seen so far cover every selected id (no need to look further). */
    boolean coveredBy(Set<String> seen) {
        return !all && seen.containsAll(ids);
    }
}
