package dev.ferry.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureReasonsTest {

    @Test
    void aShortReasonIsKeptAsItIs() {
        assertEquals("cannot copy file 'a': permission denied", FailureReasons.bound("cannot copy file 'a': permission denied"));
        assertNull(FailureReasons.bound(null));
    }

    @Test
    void aLongReasonKeepsItsBeginningAndItsAdvice() {
        String path = "d/".repeat(1500) + "f";
        String reason = "cannot copy file '" + path + "': permission denied. Check the share's permissions";
        String bounded = FailureReasons.bound(reason);
        assertEquals(FailureReasons.MAX_CHARS, bounded.length());
        assertTrue(bounded.startsWith("cannot copy file 'd/d/"), bounded);
        assertTrue(bounded.contains(" … "), bounded);
        assertTrue(bounded.endsWith("permission denied. Check the share's permissions"), bounded);
    }

    @Test
    void controlCharactersOfATenantsFileNameBecomeSpaces() {
        assertEquals("cannot copy 'a b c'", FailureReasons.bound("cannot copy 'a\nb\u0000c'"));
    }

    @Test
    void aTransitionCarriesABoundedReasonWhicheverSideMadeIt() {
        StatusRpc.Transition failed = StatusRpc.Transition.failed("job", 1, "node", FailureDetail.COPY_FAILED,
                "x".repeat(10_000), true);
        assertEquals(FailureReasons.MAX_CHARS, failed.reason().length());
    }
}
