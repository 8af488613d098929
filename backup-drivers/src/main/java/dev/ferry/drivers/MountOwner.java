package dev.ferry.drivers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process that made a mount point, recorded next to it as {@code <mount point>.owner} before mounting and
 * removed after unmounting. A starting node reads it to tell a dead process's leftovers (owner gone) from the
 * live mounts of another node that shares the mount root (owner running). The start time guards against a
 * reused process id.
 *
 * @param pid         the owner's process id
 * @param startMillis the owner's start time in epoch milliseconds, or -1 when the platform does not say
 */
record MountOwner(long pid, long startMillis) {

    static final String SUFFIX = ".owner";
    private static final Pattern LINE = Pattern.compile("pid=(\\d+) start=(-?\\d+)");

    static MountOwner thisProcess() {
        ProcessHandle self = ProcessHandle.current();
        return new MountOwner(self.pid(), self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L));
    }

    static Path fileFor(Path mountPoint) {
        return mountPoint.resolveSibling(mountPoint.getFileName() + SUFFIX);
    }

    void writeFor(Path mountPoint) throws IOException {
        Files.writeString(fileFor(mountPoint), "pid=" + pid + " start=" + startMillis + "\n", StandardCharsets.UTF_8);
    }

    /** The recorded owner; empty when there is no owner file or it cannot be read. */
    static Optional<MountOwner> readFor(Path mountPoint) {
        try {
            Matcher matcher = LINE.matcher(Files.readString(fileFor(mountPoint), StandardCharsets.UTF_8).strip());
            return matcher.matches()
                    ? Optional.of(new MountOwner(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the owner still runs (same process id and, when known, the same start time). */
    boolean isRunning() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return false;
        }
        if (startMillis < 0) {
            return true;
        }
        return handle.get().info().startInstant().map(start -> start.toEpochMilli() == startMillis).orElse(true);
    }

    @Override
    public String toString() {
        return "process " + pid;
    }
}
