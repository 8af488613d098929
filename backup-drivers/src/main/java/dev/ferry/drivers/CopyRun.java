package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One execution of {@link TreeCopier#copy}: sizes the source, walks it creating directories and links and
 * handing regular files to {@link ParallelFileCopies}, applies directory metadata deepest first, and turns
 * the outcome into a report or a {@link CopyFailedException}.
 */
final class CopyRun {

    private static final Logger log = LoggerFactory.getLogger(CopyRun.class);

    /** A directory whose metadata is applied once everything inside it is copied. */
    private record PendingDirectory(Path relative, Path target, FileMetadata metadata) {
    }

    private final CopyOptions options;
    private final Path source;
    private final TargetTree target;
    private final ProgressListener listener;
    private final StopSignal stop;
    private final IgnoreList ignore;
    private final MetadataCopier metadata = new MetadataCopier();
    private final FileContentCopier content;
    private final CopyCounters counters = new CopyCounters();
    private final List<PendingDirectory> directories = new ArrayList<>();
    private ProgressReporter progress;

    CopyRun(CopyOptions options, Path source, TargetTree target, ProgressListener listener,
            Cancellation cancellation) {
        this.options = options;
        this.source = source;
        this.target = target;
        this.listener = listener;
        this.stop = new StopSignal(cancellation);
        this.ignore = new IgnoreList(options.ignoreFiles());
        this.content = new FileContentCopier(options.chunkBytes(),
                ByteRateLimiter.perSecond(options.maxBytesPerSecond()));
    }

    CopyReport run() throws CopyFailedException {
        log.info("Copying {} to {} ({} threads{}{})", source, target.root(), options.copyThreads(),
                options.verifyChecksums() ? ", verifying checksums" : "",
                options.maxBytesPerSecond() > 0 ? ", at most " + options.maxBytesPerSecond() + " bytes/s" : "");
        TreeSize size;
        try {
            size = new TreeSizer(ignore).size(source, stop);
        } catch (IOException e) {
            throw outcome(e);
        }
        progress = new ProgressReporter(listener, size, options.progressInterval(), System::nanoTime);
        progress.start();
        try (ParallelFileCopies workers = new ParallelFileCopies(options.copyThreads(), stop, "ferry-copy")) {
            try {
                Files.walkFileTree(source, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                        new Walker(workers));
            } catch (CopyStoppedException e) {
                // the outcome is decided below
            } catch (InterruptedIOException e) {
                stop.interrupt();
            } catch (IOException | RuntimeException e) {
                stop.fail(e);
            }
            try {
                workers.awaitAll();
            } catch (InterruptedException e) {
                stop.interrupt();
                Thread.currentThread().interrupt();
                throw outcome(null); // closing the workers interrupts and waits for them
            }
        }
        if (stop.shouldStop()) {
            throw outcome(null);
        }
        try {
            finishDirectories();
        } catch (IOException e) {
            throw outcome(e);
        }
        progress.finish();
        CopyReport report = counters.report();
        log.info("Copied {} to {}: {} files, {} directories, {} symbolic links, {} bytes, {} skipped", source,
                target.root(), report.files(), report.directories(), report.symlinks(), report.bytes(),
                report.skipped());
        return report;
    }

    private void finishDirectories() throws IOException {
        for (int i = directories.size() - 1; i >= 0; i--) {
            stop.check();
            PendingDirectory directory = directories.get(i);
            try {
                metadata.apply(directory.target(), directory.metadata(), false);
            } catch (IOException e) {
                throw new IOException("cannot set the owner, mode or times of directory '" + directory.relative()
                        + "': " + IoErrors.describe(e), e);
            }
        }
    }

    private void copyFile(Path file, Path relative) throws IOException {
        stop.check();
        try {
            FileMetadata fileMetadata = metadata.read(file);
            Path destination = target.prepareFile(relative);
            long bytes = content.copy(file, destination, stop, progress::addBytes);
            if (options.verifyChecksums()) {
                verify(file, destination, relative);
            }
            metadata.apply(destination, fileMetadata, false);
            counters.file(bytes);
            progress.fileDone();
        } catch (CopyStoppedException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot copy file '" + relative + "': " + IoErrors.describe(e), e);
        }
    }

    private void verify(Path file, Path destination, Path relative) throws IOException {
        if (MessageDigest.isEqual(content.sha256(file, stop), content.sha256(destination, stop))) {
            return;
        }
        log.warn("The copy of '{}' differs from the source (SHA-256); copying it again", relative);
        content.copy(file, destination, stop, bytes -> { });
        if (!MessageDigest.isEqual(content.sha256(file, stop), content.sha256(destination, stop))) {
            throw new IOException("the copy differs from the source after two attempts (SHA-256 mismatch); "
                    + "the source may be changing during the copy, or the storage is faulty");
        }
    }

    private void copyLink(Path link, Path relative) throws IOException {
        try {
            FileMetadata linkMetadata = metadata.read(link);
            Path linkText = Files.readSymbolicLink(link);
            Path created = target.createLink(relative, linkText);
            metadata.apply(created, linkMetadata, true);
            counters.symlink();
            progress.fileDone();
        } catch (IOException e) {
            throw new IOException("cannot copy symbolic link '" + relative + "': " + IoErrors.describe(e), e);
        }
    }

    private CopyFailedException outcome(IOException error) {
        Throwable failure = error != null ? error : stop.failure();
        String what = "Copying " + source + " to " + target.root();
        if (failure != null && !(failure instanceof CopyStoppedException)) {
            String reason = failure instanceof IOException io ? IoErrors.describe(io) : failure.toString();
            return new CopyFailedException(what + " failed: " + reason + (target.touched()
                    ? ". Entries copied before the failure stay in the target; fix the cause and run it again"
                    : ". Nothing was written to the target; fix the cause and run it again"),
                    target.touched(), false, failure);
        }
        String why = stop.cancelled() ? "was cancelled" : "was interrupted (the process is shutting down)";
        long done = progress == null ? 0 : progress.bytesDone();
        return new CopyFailedException(what + " " + why + " after " + done + " bytes; "
                + (target.touched() ? "the target holds a partial copy" : "nothing was written to the target"),
                target.touched(), true, null);
    }

    /** The second pass: walks the source without following links and copies each entry. */
    private final class Walker implements FileVisitor<Path> {

        private final ParallelFileCopies workers;

        Walker(ParallelFileCopies workers) {
            this.workers = workers;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            stop.check();
            if (dir.equals(source)) {
                return FileVisitResult.CONTINUE;
            }
            Path relative = source.relativize(dir);
            if (ignore.ignores(dir)) {
                log.debug("Skipping '{}': its name is on the ignore list", relative);
                return FileVisitResult.SKIP_SUBTREE;
            }
            try {
                FileMetadata dirMetadata = metadata.read(dir);
                Path created = target.ensureDirectory(relative);
                directories.add(new PendingDirectory(relative, created, dirMetadata));
            } catch (IOException e) {
                throw new IOException("cannot create directory '" + relative + "': " + IoErrors.describe(e), e);
            }
            counters.directory();
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            stop.check();
            Path relative = source.relativize(file);
            if (ignore.ignores(file)) {
                log.debug("Skipping '{}': its name is on the ignore list", relative);
            } else if (attrs.isSymbolicLink()) {
                copyLink(file, relative);
            } else if (attrs.isRegularFile()) {
                try {
                    workers.submit(() -> copyFile(file, relative));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while queueing '" + relative + "'");
                }
            } else if (attrs.isDirectory()) {
                throw new IOException("cannot read directory '" + relative + "'");
            } else {
                counters.skipped();
                log.warn("Skipping '{}': it is a fifo, socket or device, which Ferry does not copy", relative);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            throw new IOException("cannot read '" + source.relativize(file) + "' in the source: "
                    + IoErrors.describe(exc), exc);
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
                throw new IOException("cannot list directory '" + source.relativize(dir) + "' in the source: "
                        + IoErrors.describe(exc), exc);
            }
            return FileVisitResult.CONTINUE;
        }
    }
}
