package dev.ferry.api.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** A test that needs a service which is not there skips, saying why, unless FERRY_IT_REQUIRE_SERVICES=1. */
public final class RequiredServices {
    private RequiredServices() {
    }

    public static void skipOrFail(String reason) {
        if ("1".equals(System.getenv("FERRY_IT_REQUIRE_SERVICES"))) {
            Assertions.fail(reason + " (FERRY_IT_REQUIRE_SERVICES=1)");
        }
        Assumptions.abort(reason);
    }
}
