package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A tmpfs of a given size mounted on a test's folder (root only), to make a target run out of space. */
final class SmallTmpfs implements AutoCloseable {

    private final Path mountPoint;

    private SmallTmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static SmallTmpfs mount(Path mountPoint, String size) throws IOException, InterruptedException {
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "ferry-test", mountPoint.toString()));
        return new SmallTmpfs(mountPoint);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("umount", mountPoint.toString()));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(command + " failed: " + output);
        }
    }
}
