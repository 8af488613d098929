package dev.ferry.it;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile tenant writing into a share (or the backup repository) while a data node works in it: it keeps
 * swapping the folders {@code d<i>} and {@code d<i>/inner} below a root for symbolic links to a folder outside
 * every root, and (when asked) files {@code d<i>/f<j>} for fifos, then puts everything back. The root may not
 * exist yet (a share the node is about to make); the racer keeps trying until it is stopped.
 */
final class TenantRacer implements AutoCloseable {
    /** The folders {@code d0..d11} and files {@code f0..f19} the racer goes after, as {@link #fill} makes them. */
    static final int FOLDERS = 12;
    static final int FILES = 20;

    /** mkfifo, which Java lacks. */
    static final class Fifos {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int mkfifo(byte[] path, int mode);

        static boolean make(Path path) {
            byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
            return mkfifo(Arrays.copyOf(bytes, bytes.length + 1), 0644) == 0;
        }
    }

    private final AtomicBoolean racing = new AtomicBoolean(true);
    private final AtomicLong swaps;
    private final Thread thread;

    /** Starts racing in {@code root}; {@code swaps} counts every link or fifo put in place. */
    TenantRacer(Path root, Path outside, boolean fifos, AtomicLong swaps) {
        this.swaps = swaps;
        this.thread = new Thread(() -> race(root, outside, fifos), "tenant-racer");
        thread.setDaemon(true);
        thread.start();
    }

    /** The racer's tree: folders d0..d11, each with files f0..f19 and a folder inner with files g0..g19. */
    static void fill(Path root) throws IOException {
        for (int d = 0; d < FOLDERS; d++) {
            Path inner = Files.createDirectories(root.resolve("d" + d).resolve("inner"));
            for (int f = 0; f < FILES; f++) {
                Files.writeString(inner.getParent().resolve("f" + f), "file " + d + "/" + f + "\n");
                Files.writeString(inner.resolve("g" + f), "inner file " + d + "/" + f + "\n");
            }
        }
    }

    private void race(Path root, Path outside, boolean fifos) {
        long n = 0;
        while (racing.get()) {
            n++;
            Path folder = root.resolve("d" + (n % FOLDERS));
            Path moved = root.resolve(".moved-" + n);
            try {
                Files.move(folder, moved);
            } catch (IOException e) {
                Thread.yield(); // not there (yet, or any more): try the next one
                continue;
            }
            try {
                Files.createSymbolicLink(folder, outside);
                swaps.incrementAndGet();
                Path inner = moved.resolve("inner");
                Path innerMoved = moved.resolve(".inner");
                boolean innerSwapped = false;
                if (Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(inner, innerMoved);
                    Files.createSymbolicLink(inner, outside);
                    swaps.incrementAndGet();
                    innerSwapped = true;
                }
                Path file = moved.resolve("f" + (n % FILES));
                if (fifos && Files.deleteIfExists(file) && Fifos.make(file)) {
                    swaps.incrementAndGet();
                    Thread.yield();
                    Files.delete(file);
                    Files.writeString(file, "file again\n");
                }
                if (innerSwapped) {
                    Files.delete(inner);
                    Files.move(innerMoved, inner);
                }
                Files.delete(folder);
                Files.move(moved, folder);
            } catch (IOException e) {
                // the node removed or replaced something the racer was using: go on with the next folder
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        racing.set(false);
        thread.join(10_000);
    }
}
