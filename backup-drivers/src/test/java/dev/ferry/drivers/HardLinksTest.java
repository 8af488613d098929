package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HardLinksTest {

    private static Stat linked(long inode, long links) {
        return new Stat(0100644, 0, 0, 10, 8, links, inode, 7, 0, 0, 0, 0);
    }

    @Test
    void anInodeIsForgottenOnceAllItsLinksWereMet() {
        HardLinks links = new HardLinks();

        HardLinks.Sighting first = links.sight(linked(1, 3));
        HardLinks.Sighting second = links.sight(linked(1, 3));
        links.sight(linked(2, 2));

        assertTrue(first.first());
        assertFalse(second.first());
        assertSame(first.group(), second.group());
        assertEquals(2, links.size());
        links.sight(linked(1, 3));
        assertEquals(1, links.size(), "the third of three links met: the inode is dropped");
    }

    @Test
    void laterLinksWaitForTheFirstCopyAndOnlyTheSecondMakesTheGroup() throws Exception {
        HardLinks links = new HardLinks();
        HardLinks.Group group = links.sight(linked(5, 3)).group();
        StopSignal stop = new StopSignal(new Cancellation());
        HardLinks.First copy = new HardLinks.First(42, "a/b".getBytes(),
                new ChecksummedContentCopier.Copied(10, 99, false));

        CompletableFuture<HardLinks.First> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return links.sight(linked(5, 3)).group().awaitFirst(stop);
            } catch (CopyStoppedException e) {
                throw new IllegalStateException(e);
            }
        });
        group.firstCopied(copy);

        assertSame(copy, waiting.get(10, TimeUnit.SECONDS));
        assertTrue(group.becameGroup());
        assertFalse(group.becameGroup());
    }

    @Test
    void aMissingFirstCopyLetsLaterLinksCopyOnTheirOwnAndACancelStopsTheWait() throws Exception {
        HardLinks links = new HardLinks();
        HardLinks.Group missing = links.sight(linked(8, 2)).group();
        missing.firstMissing();
        assertNull(missing.awaitFirst(new StopSignal(new Cancellation())));

        HardLinks.Group pending = links.sight(linked(9, 2)).group();
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        assertThrows(CopyStoppedException.class, () -> pending.awaitFirst(new StopSignal(cancellation)));
    }
}
