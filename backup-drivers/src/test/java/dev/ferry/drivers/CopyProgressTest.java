package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CopyProgressTest {

    @Test
    void percentIsByBytesRoundedDown() {
        assertEquals(0, new CopyProgress(0, 1000, 0, 3).percent());
        assertEquals(33, new CopyProgress(333, 1000, 1, 3).percent());
        assertEquals(99, new CopyProgress(999_999, 1_000_000, 3, 3).percent());
        assertEquals(100, new CopyProgress(1000, 1000, 3, 3).percent());
    }

    @Test
    void percentIsByFilesWhenThereAreNoBytesAnd100WhenThereIsNothing() {
        assertEquals(50, new CopyProgress(0, 0, 2, 4).percent());
        assertEquals(100, new CopyProgress(0, 0, 0, 0).percent());
    }

    @Test
    void countsCannotBeNegative() {
        assertThrows(IllegalArgumentException.class, () -> new CopyProgress(-1, 0, 0, 0));
    }
}
