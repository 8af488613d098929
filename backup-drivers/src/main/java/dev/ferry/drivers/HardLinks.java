package dev.ferry.drivers;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The regular files with more than one link that a backup has met, by device and inode, so that a later link of
 * the same file is linked in the repository to the first copy instead of copied again. Only files with
 * {@code st_nlink > 1} are kept, and each is dropped once all its links were met: memory follows the hard-linked
 * files of the tree, not its size.
 */
final class HardLinks {

    /** The first copy of a linked file: its manifest id, its path below the backup's root, and its content. */
    record First(long id, byte[] path, ChecksummedContentCopier.Copied content) {
    }

    private record Inode(long device, long inode) {
    }

    /** All links met of one inode. */
    static final class Group {
        private final CompletableFuture<First> first = new CompletableFuture<>();
        private final AtomicLong unseen;
        private final AtomicBoolean grouped = new AtomicBoolean();

        private Group(long links) {
            this.unseen = new AtomicLong(links);
        }

        /** The first link's copy, once made; null when it could not be made (it vanished, or failed). */
        First awaitFirst(StopSignal stop) throws CopyStoppedException {
            while (true) {
                stop.check();
                try {
                    return first.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // the first copy is still being written
                } catch (ExecutionException e) {
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.interrupt();
                    throw new CopyStoppedException();
                }
            }
        }

        /** The first link is copied: later links link to it. */
        void firstCopied(First copy) {
            first.complete(copy);
        }

        /** The first link was not copied: later links are copied on their own. */
        void firstMissing() {
            first.complete(null);
        }

        /** True exactly once, for the second link met: the first entry then becomes the group's first. */
        boolean becameGroup() {
            return grouped.compareAndSet(false, true);
        }
    }

    /** A link met: whether it is the first of its inode, and the group. */
    record Sighting(boolean first, Group group) {
    }

    private final ConcurrentHashMap<Inode, Group> groups = new ConcurrentHashMap<>();

    /** Records a link of a file with {@code nlink > 1}. */
    Sighting sight(Stat metadata) {
        Inode key = new Inode(metadata.device(), metadata.inode());
        boolean[] created = {false};
        Group group = groups.compute(key, (k, existing) -> {
            if (existing == null) {
                created[0] = true;
                return new Group(metadata.nlink());
            }
            return existing;
        });
        if (group.unseen.decrementAndGet() <= 0) {
            groups.remove(key, group); // every link met: nothing more to link to it
        }
        return new Sighting(created[0], group);
    }

    /** Inodes kept (for tests of the memory bound). */
    int size() {
        return groups.size();
    }
}
