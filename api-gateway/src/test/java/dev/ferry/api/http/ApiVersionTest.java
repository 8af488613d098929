package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.service.ApiError;
import org.junit.jupiter.api.Test;

class ApiVersionTest {

    @Test
    void noHeaderIsTwoZeroAndLatestIsTheMaximum() {
        assertEquals(new ApiVersion(2, 0), ApiVersion.fromHeader(null));
        assertEquals(new ApiVersion(2, 0), ApiVersion.fromHeader(" "));
        assertEquals(new ApiVersion(2, 91), ApiVersion.fromHeader("latest"));
        assertEquals(new ApiVersion(2, 91), ApiVersion.fromHeader("LATEST"));
        assertEquals(new ApiVersion(2, 85), ApiVersion.fromHeader("2.85"));
    }

    @Test
    void malformedVersionsAre400() {
        for (String bad : new String[] {"2", "2.", "two", "2.91.1", "02.1", "2.01", "-2.0", "2.x"}) {
            ApiError e = assertThrows(ApiError.class, () -> ApiVersion.fromHeader(bad), bad);
            assertEquals(400, e.status(), bad);
            assertTrue(e.getMessage().contains("invalid format"), e.getMessage());
        }
    }

    @Test
    void versionsOutsideTheRangeAre406() {
        for (String unsupported : new String[] {"1.0", "2.92", "3.0"}) {
            ApiError e = assertThrows(ApiError.class, () -> ApiVersion.fromHeader(unsupported));
            assertEquals(406, e.status());
            assertEquals("Version " + unsupported + " is not supported by the API. Minimum is 2.0 and maximum is 2.91.",
                    e.getMessage());
        }
    }

    @Test
    void ordersNumerically() {
        assertTrue(new ApiVersion(2, 10).atLeast(new ApiVersion(2, 9)));
        assertTrue(ApiVersion.fromHeader("2.80").atLeast(ApiVersion.BACKUPS));
        assertTrue(!ApiVersion.fromHeader("2.79").atLeast(ApiVersion.BACKUPS));
    }
}
