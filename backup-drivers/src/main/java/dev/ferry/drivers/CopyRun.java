package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One execution of {@link TreeCopier#copy}: sizes the source, then walks it depth first through open directory
 * handles ({@link DirHandle}), creating directories and links as it goes and handing regular files to
 * {@link ParallelFileCopies}. A directory's metadata is applied as soon as the walk has listed it and its last
 * file has been copied, and its handles are closed then: what the copy holds is bounded by the tree's depth and
 * the copy queue, never by the number of directories.
 *
 * <p>Entries that vanish while the copy runs (a tenant deleting) are skipped with a warning; an entry whose type
 * changed between the listing and its opening is copied as what it is now. Nothing is opened through a link.
 *
 * <p>A backup (a run with a {@link ManifestRecorder}) also records every entry in the manifest, reads each file
 * once through a buffer to take its CRC32C while writing it ({@link ChecksummedContentCopier}), keeps holes of
 * sparse files, copies extended attributes and ACLs, and links a file's later hard links to its first copy.
 */
final class CopyRun {

    private static final Logger log = LoggerFactory.getLogger(CopyRun.class);
    /** Deeper trees fail the copy: each level holds two open directories. PATH_MAX allows about 2,000. */
    static final int MAX_DEPTH = 1000;
    private static final int NEW_DIRECTORY_MODE = 0700;
    private static final int NEW_FILE_MODE = 0600;

    private final CopyOptions options;
    private final DirHandle sourceRoot;
    private final DirHandle targetRoot;
    private final String description;
    private final RunFailures failures;
    private final ProgressListener listener;
    private final StopSignal stop;
    private final IgnoreList ignore;
    private final FileContentCopier content;
    private final CopyCounters counters = new CopyCounters();
    private final AtomicBoolean touched = new AtomicBoolean();
    private final AtomicBoolean ownerWarningLogged = new AtomicBoolean();
    /** Folders whose handles are open; after a stop, whatever a skipped task did not release is closed here. */
    private final Set<Folder> openFolders = ConcurrentHashMap.newKeySet();
    /** A backup's manifest; null for other copies. */
    private final ManifestRecorder recorder;
    private final ChecksummedContentCopier checksummed;
    private final LongAdder metadataDropped = new LongAdder();
    private final AtomicReference<String> firstDropped = new AtomicReference<>();
    private final AtomicBoolean linkFallbackLogged = new AtomicBoolean();
    private ProgressReporter progress;
    /** A restore of a backup without a manifest: what it does with files the target already holds. */
    private RestoreSelection.Overwrite overwrite = RestoreSelection.Overwrite.ALWAYS;
    private final LongAdder filesSkipped = new LongAdder();
    private final LongAdder bytesSkipped = new LongAdder();

    /** The roots stay the caller's to close. {@code description} names the copy in logs and failures. */
    CopyRun(CopyOptions options, DirHandle sourceRoot, DirHandle targetRoot, String description,
            ProgressListener listener, Cancellation cancellation) {
        this(options, sourceRoot, targetRoot, description, listener, cancellation, null);
    }

    /** A backup: as above, recording every entry copied with {@code recorder}. */
    CopyRun(CopyOptions options, DirHandle sourceRoot, DirHandle targetRoot, String description,
            ProgressListener listener, Cancellation cancellation, ManifestRecorder recorder) {
        this.recorder = recorder;
        this.options = options;
        this.sourceRoot = sourceRoot;
        this.targetRoot = targetRoot;
        this.description = description;
        this.failures = new RunFailures("Copying " + description,
                "Entries copied before the failure stay in the target", "the target holds a partial copy");
        this.listener = listener;
        this.stop = new StopSignal(cancellation);
        this.ignore = new IgnoreList(options.ignoreFiles());
        ByteRateLimiter limiter = ByteRateLimiter.perSecond(options.maxBytesPerSecond());
        this.content = new FileContentCopier(options.chunkBytes(), limiter);
        this.checksummed = recorder == null ? null : new ChecksummedContentCopier(options.chunkBytes(), limiter);
    }

    /**
     * A restore of a backup made before manifests: {@code if-changed} leaves a target file of the same size and
     * modification time (there is no checksum to compare), {@code never} leaves any entry already there.
     */
    CopyRun withOverwrite(RestoreSelection.Overwrite policy) {
        this.overwrite = java.util.Objects.requireNonNull(policy, "policy");
        return this;
    }

    CopyReport run() throws CopyFailedException {
        log.info("Copying {} ({} threads{}{})", description, options.copyThreads(),
                options.verifyChecksums() ? ", verifying checksums" : "",
                options.maxBytesPerSecond() > 0 ? ", at most " + options.maxBytesPerSecond() + " bytes/s" : "");
        TreeSize size;
        try {
            size = new TreeSizer(ignore).size(sourceRoot, stop);
        } catch (IOException e) {
            throw outcome(e);
        }
        progress = new ProgressReporter(listener, size, options.progressInterval(), System::nanoTime);
        progress.start();
        // resources close in reverse: the workers stop before leftover handles are closed
        try (CloseLeftovers leftovers = new CloseLeftovers();
             ParallelFileCopies workers = new ParallelFileCopies(options.copyThreads(), stop, "ferry-copy")) {
            if (!workers.walkThenAwaitAll(() -> walk(workers))) {
                throw outcome(null); // closing the workers interrupts and waits for them
            }
        }
        if (stop.shouldStop()) {
            throw outcome(null);
        }
        progress.finish();
        CopyReport base = counters.report();
        CopyReport report = new CopyReport(base.files(), base.directories(), base.symlinks(), base.bytes(),
                base.skipped(), filesSkipped.sum(), bytesSkipped.sum(), 0, null, metadataDropped.sum(), firstDropped.get(), false);
        log.info("Copied {}: {} files, {} directories, {} symbolic links, {} bytes, {} skipped", description,
                report.files(), report.directories(), report.symlinks(), report.bytes(), report.skipped());
        return report;
    }

    /** Closes the handles of folders still open when the copy ends (it stopped with file tasks unrun). */
    private final class CloseLeftovers implements AutoCloseable {
        @Override
        public void close() {
            for (Folder folder : openFolders) {
                folder.closeHandles();
            }
        }
    }

    /** The depth-first walk: one open {@link Folder} per level on the stack. */
    private void walk(ParallelFileCopies workers) throws IOException {
        Deque<Folder> stack = new ArrayDeque<>();
        Folder root = new Folder(null, sourceRoot, targetRoot, null, 0, false, new byte[0], List.of());
        root.entries = sourceRoot.entries();
        stack.push(root);
        try {
            while (!stack.isEmpty()) {
                stop.check();
                Folder folder = stack.peek();
                DirEntries.Entry entry = folder.entries.next();
                if (entry == null) {
                    stack.pop();
                    folder.entries = null;
                    folder.release();
                } else if (ignore.ignores(entry.name())) {
                    log.debug("Skipping '{}': its name is on the ignore list", folder.source.pathOf(entry.name()));
                } else {
                    stop.progressed("walking '" + folder.source.pathOf(entry.name()) + "'");
                    copyEntry(folder, entry.name(), entry.type(), workers, stack);
                }
            }
        } finally {
            while (!stack.isEmpty()) {
                stack.pop().release(); // after a stop: closes without applying metadata
            }
        }
    }

    private void copyEntry(Folder folder, byte[] name, int listedType, ParallelFileCopies workers,
                           Deque<Folder> stack) throws IOException {
        int type = listedType;
        if (type == DirEntries.DT_UNKNOWN) {
            Stat now = folder.source.statEntryIfExists(name);
            if (now == null) {
                vanished(folder, name);
                return;
            }
            type = now.listingType();
        }
        switch (type) {
            case DirEntries.DT_DIR -> copyDirectory(folder, name, workers, stack);
            case DirEntries.DT_REG -> submitFile(folder, name, workers);
            case DirEntries.DT_LNK -> copyLink(folder, name);
            default -> skipSpecial(folder, name);
        }
    }

    private void copyDirectory(Folder folder, byte[] name, ParallelFileCopies workers, Deque<Folder> stack)
            throws IOException {
        String path = folder.source.pathOf(name);
        DirHandle source;
        try {
            source = folder.source.openDirectory(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT)) {
                vanished(folder, name);
                return;
            }
            if (e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR)) {
                changedType(folder, name, workers);
                return;
            }
            throw new IOException("cannot open directory '" + path + "' in the source: " + e.getMessage(), e);
        }
        try {
            if (folder.depth + 1 > MAX_DEPTH) {
                throw new IOException("the source is deeper than " + MAX_DEPTH + " folders at '" + path
                        + "'; Ferry does not copy trees that deep");
            }
            Stat metadata = source.stat();
            byte[] entryPath = ManifestSchema.join(folder.entryPath, name);
            List<Xattrs.Attribute> xattrs = List.of();
            if (recorder != null) {
                xattrs = source.keptXattrs();
                recorder.directory(entryPath, metadata, Xattrs.encode(xattrs));
            }
            DirHandle target = ensureDirectory(folder.target, name);
            Folder child = new Folder(folder, source, target, metadata, folder.depth + 1, true, entryPath, xattrs);
            folder.hold();
            child.entries = source.entries();
            stack.push(child);
            counters.directory();
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Makes {@code name} a real directory in {@code parent} and opens it; a link or file there is replaced. */
    private DirHandle ensureDirectory(DirHandle parent, byte[] name) throws IOException {
        String path = parent.pathOf(name);
        try {
            if (parent.makeDirectory(name, NEW_DIRECTORY_MODE)) {
                touched.set(true);
            }
            return parent.openDirectory(name);
        } catch (Errno e) {
            if (!(e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR))) {
                throw new IOException("cannot create directory '" + path + "' in the target: " + e.getMessage(), e);
            }
        }
        Stat existing = parent.statEntryIfExists(name);
        log.info("Replacing the {} '{}' in the target with the directory of the same name from the source",
                existing == null ? "entry" : existing.kind(), path);
        touched.set(true);
        try {
            parent.unlink(name);
            if (!parent.makeDirectory(name, NEW_DIRECTORY_MODE)) {
                throw new IOException("'" + path + "' was created again by someone else while it was replaced");
            }
            return parent.openDirectory(name);
        } catch (IOException e) {
            throw new IOException("cannot replace '" + path + "' in the target with a directory: " + e.getMessage()
                    + ". Make sure nothing else writes to the target, then run the operation again", e);
        }
    }

    private void submitFile(Folder folder, byte[] name, ParallelFileCopies workers) throws IOException {
        folder.hold();
        try {
            workers.submit(() -> {
                try {
                    copyFile(folder, name);
                } finally {
                    folder.release();
                }
            });
        } catch (InterruptedException e) {
            folder.release();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing '" + folder.source.pathOf(name) + "'");
        } catch (RuntimeException e) {
            folder.release();
            throw e;
        }
    }

    private void copyFile(Folder folder, byte[] name) throws IOException {
        stop.check();
        String path = folder.source.pathOf(name);
        FileHandle in;
        try {
            in = folder.source.openRegularFile(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT)) {
                vanished(folder, name);
                return;
            }
            if (e.is(LibC.ELOOP)) {
                copyLink(folder, name); // it became a symbolic link after the listing
                return;
            }
            throw new IOException("cannot open file '" + path + "' in the source: " + e.getMessage(), e);
        }
        if (in == null) {
            skipSpecial(folder, name); // not a regular file any more: never read
            return;
        }
        try (in) {
            Stat metadata = in.stat();
            stop.progressed("copying '" + path + "'");
            if (recorder != null) {
                backUpFile(folder, name, path, in, metadata);
                return;
            }
            if (overwrite != RestoreSelection.Overwrite.ALWAYS && keepsExisting(folder.target, name, metadata)) {
                filesSkipped.increment();
                bytesSkipped.add(metadata.size());
                progress.addBytes(metadata.size());
                progress.fileDone();
                return;
            }
            long bytes = writeFile(folder.target, name, path, in, metadata);
            counters.file(bytes);
            progress.fileDone();
        }
    }

    /** Whether the overwrite policy leaves what the target holds at {@code name}. */
    private boolean keepsExisting(DirHandle target, byte[] name, Stat source) throws IOException {
        Stat existing = target.statEntryIfExists(name);
        if (existing == null) {
            return false;
        }
        if (overwrite == RestoreSelection.Overwrite.NEVER) {
            return true;
        }
        return existing.isRegularFile() && existing.size() == source.size()
                && existing.modifiedSeconds() == source.modifiedSeconds()
                && existing.modifiedNanos() == source.modifiedNanos();
    }

    /**
     * A backup's file: a later link of a file met before is linked to its first copy; any other file is copied
     * with its checksum, holes and extended attributes. Either way it is recorded in the manifest.
     */
    private void backUpFile(Folder folder, byte[] name, String path, FileHandle in, Stat metadata)
            throws IOException {
        byte[] entryPath = ManifestSchema.join(folder.entryPath, name);
        HardLinks.Sighting sighting = metadata.nlink() > 1 ? recorder.hardLinks().sight(metadata) : null;
        HardLinks.First first = null;
        if (sighting != null && !sighting.first()) {
            first = sighting.group().awaitFirst(stop);
            if (first != null && linkToFirst(folder.target, name, path, first)) {
                recorder.laterLink(entryPath, metadata, first.id(), sighting.group(), first.content(),
                        Xattrs.encode(in.keptXattrs()));
                counters.file(0);
                progress.addBytes(metadata.size());
                progress.fileDone();
                return;
            }
        }
        boolean ownsGroup = sighting != null && sighting.first();
        try {
            List<Xattrs.Attribute> xattrs = in.keptXattrs();
            boolean sparse = ChecksummedContentCopier.isSparse(metadata);
            ChecksummedContentCopier.Copied[] copied = new ChecksummedContentCopier.Copied[1];
            writeFile(folder.target, name, path, metadata, xattrs, out -> {
                copied[0] = copyChecked(in, out, metadata, sparse, path);
                return copied[0].bytes();
            });
            long id = first != null // the repository refused the link: copied, and still recorded as a link
                    ? recorder.laterLink(entryPath, metadata, first.id(), sighting.group(), copied[0],
                    Xattrs.encode(xattrs))
                    : recorder.file(entryPath, metadata, copied[0], Xattrs.encode(xattrs));
            if (ownsGroup) {
                sighting.group().firstCopied(new HardLinks.First(id, entryPath, copied[0]));
                ownsGroup = false;
            }
            counters.file(copied[0].bytes());
            progress.fileDone();
        } finally {
            if (ownsGroup) {
                sighting.group().firstMissing();
            }
        }
    }

    /** Writes the file's content and metadata under its name, or under a temporary name renamed over it. */
    private long writeFile(DirHandle target, byte[] name, String path, FileHandle in, Stat metadata)
            throws IOException {
        return writeFile(target, name, path, metadata, List.of(), out -> {
            long bytes = content.copy(in, out, metadata.size(), stop, this::movedBytes);
            if (options.verifyChecksums()) {
                verify(in, out, metadata, path);
            }
            return bytes;
        });
    }

    /** Writes one file's content into a new, empty file of the target; returns the bytes written. */
    @FunctionalInterface
    private interface ContentWriter {
        long write(FileHandle out) throws IOException;
    }

    /**
     * Writes a file under its name, or under a temporary name renamed over it: its content with {@code writer},
     * then its extended attributes, owner, mode and times.
     */
    private long writeFile(DirHandle target, byte[] name, String path, Stat metadata, List<Xattrs.Attribute> xattrs,
                           ContentWriter writer) throws IOException {
        byte[] temporary = null;
        FileHandle created;
        try {
            created = target.createFile(name, NEW_FILE_MODE);
            touched.set(true);
        } catch (Errno e) {
            if (!e.is(LibC.EEXIST)) {
                throw new IOException("cannot create file '" + path + "' in the target: " + e.getMessage(), e);
            }
            temporary = TemporaryNames.of(name);
            created = TemporaryFiles.create(target, temporary, path);
        }
        try (FileHandle out = created) {
            long bytes = writer.write(out);
            for (Xattrs.Attribute attribute : xattrs) {
                setXattr(out::setXattr, attribute, path);
            }
            applyMetadata(out, metadata);
            if (temporary != null) {
                replace(target, temporary, name, path, "file");
                touched.set(true);
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            if (temporary != null) {
                TemporaryFiles.removeQuietly(target, temporary);
            }
            if (e instanceof CopyStoppedException || e.getMessage() != null && e.getMessage().contains("'" + path)) {
                throw e;
            }
            throw new IOException("cannot copy file '" + path + "': " + e.getMessage(), e);
        }
    }

    /**
     * A backup's copy of one file, its CRC32C taken on the bytes written. With checksum verification on, the copy
     * is read back and its CRC32C compared; a mismatch copies the file once more, then fails.
     */
    private ChecksummedContentCopier.Copied copyChecked(FileHandle in, FileHandle out, Stat metadata, boolean sparse,
                                                       String path) throws IOException {
        ChecksummedContentCopier.Copied copied = checksummed.copy(in, out, metadata.size(), sparse, stop,
                this::movedBytes);
        if (!options.verifyChecksums() || readBackMatches(out, copied)) {
            return copied;
        }
        log.warn("The copy of '{}' read back differs from what was written (CRC32C); copying it again", path);
        out.setLength(0);
        copied = checksummed.copy(in, out, metadata.size(), sparse, stop, bytes -> { });
        if (!readBackMatches(out, copied)) {
            throw new IOException("the copy in the backup repository differs from what was written after two "
                    + "attempts (CRC32C mismatch on reading it back); the repository's storage may be faulty");
        }
        return copied;
    }

    private boolean readBackMatches(FileHandle out, ChecksummedContentCopier.Copied written) throws IOException {
        ChecksummedContentCopier.Copied read = checksummed.checksum(out, written.bytes(), written.sparse(), stop,
                bytes -> stop.progressed("verifying file content"));
        return read.bytes() == written.bytes() && read.checksum() == written.checksum();
    }

    /**
     * Links {@code name} to the first copy of the same file in the repository; false when the repository refuses
     * hard links (the file is then copied again).
     */
    private boolean linkToFirst(DirHandle target, byte[] name, String path, HardLinks.First first)
            throws IOException {
        try {
            target.hardLink(name, targetRoot, first.path());
        } catch (Errno e) {
            if (e.is(LibC.EEXIST)) {
                target.unlink(name);
                target.hardLink(name, targetRoot, first.path());
            } else if (e.is(LibC.ENOENT)) {
                throw e;
            } else {
                if (linkFallbackLogged.compareAndSet(false, true)) {
                    log.warn("The backup repository refuses hard links ({}); '{}' and other later links are copied "
                            + "as files and recorded as links, so restores still link them", e.getMessage(), path);
                }
                return false;
            }
        }
        touched.set(true);
        return true;
    }

    /** An attribute being set on a copy; the repository or target refusing it is counted, not a failure. */
    @FunctionalInterface
    private interface XattrSetter {
        void set(Xattrs.Attribute attribute) throws IOException;
    }

    private void setXattr(XattrSetter setter, Xattrs.Attribute attribute, String path) throws IOException {
        try {
            setter.set(attribute);
        } catch (Errno e) {
            if (!ExtendedAttributes.refused(e)) {
                throw e;
            }
            metadataDropped.increment();
            if (firstDropped.compareAndSet(null, path + " (" + attribute.nameText() + ")")) {
                log.warn("The target refuses extended attribute {} of '{}' ({}); such attributes are not kept "
                        + "there{}", attribute.nameText(), path, e.getMessage(),
                        recorder != null ? ", but the manifest records them for restores" : "");
            }
        }
    }

    private void movedBytes(long bytes) {
        progress.addBytes(bytes);
        stop.progressed("copying file content");
    }

    private void verify(FileHandle in, FileHandle out, Stat metadata, String path) throws IOException {
        if (MessageDigest.isEqual(in.sha256(stop), out.sha256(stop))) {
            return;
        }
        log.warn("The copy of '{}' differs from the source (SHA-256); copying it again", path);
        in.rewind();
        out.truncate();
        content.copy(in, out, metadata.size(), stop, bytes -> { });
        if (!MessageDigest.isEqual(in.sha256(stop), out.sha256(stop))) {
            throw new IOException("the copy differs from the source after two attempts (SHA-256 mismatch); "
                    + "the source may be changing during the copy, or the storage is faulty");
        }
    }

    private void applyMetadata(FileHandle out, Stat metadata) throws IOException {
        try {
            out.chown(metadata.uid(), metadata.gid());
        } catch (Errno e) {
            ownerNotKept(e);
        }
        out.chmod(metadata.permissions()); // after the owner: chown clears setuid and setgid bits
        out.setTimes(metadata.times());
    }

    private void copyLink(Folder folder, byte[] name) throws IOException {
        String path = folder.source.pathOf(name);
        try {
            Stat metadata = folder.source.statEntryIfExists(name);
            if (metadata == null) {
                vanished(folder, name);
                return;
            }
            if (!metadata.isSymbolicLink()) {
                log.warn("Skipping '{}': it changed from a symbolic link to a {} while being copied", path,
                        metadata.kind());
                counters.skipped();
                return;
            }
            byte[] text = folder.source.readLink(name);
            try {
                folder.target.symlink(name, text);
            } catch (Errno e) {
                if (!e.is(LibC.EEXIST)) {
                    throw e;
                }
                byte[] temporary = TemporaryNames.of(name);
                folder.target.symlink(temporary, text);
                replace(folder.target, temporary, name, path, "symbolic link");
            }
            touched.set(true);
            try {
                folder.target.setEntryOwnerAndTimes(name, metadata.uid(), metadata.gid(), metadata.times(), true);
            } catch (Errno e) {
                if (!(e.is(LibC.EPERM) || e.is(LibC.EINVAL))) {
                    throw e;
                }
                ownerNotKept(e);
                folder.target.setEntryOwnerAndTimes(name, 0, 0, metadata.times(), false);
            }
            if (recorder != null) {
                recorder.symlink(ManifestSchema.join(folder.entryPath, name), metadata, text);
            }
            counters.symlink();
            progress.fileDone();
        } catch (CopyStoppedException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot copy symbolic link '" + path + "': " + e.getMessage(), e);
        }
    }

    /** Renames the temporary entry over {@code name}; a directory there is never removed to make room. */
    private void replace(DirHandle target, byte[] temporary, byte[] name, String path, String what)
            throws IOException {
        TemporaryFiles.renameOver(target, temporary, name, () -> "the target has a directory '" + path
                + "' where the source has a " + what + "; Ferry does not delete directories to make room. Move or "
                + "remove that directory in the target, then run the operation again");
    }

    /** A file, directory or link of the source changed type after the listing: copy it as what it is now. */
    private void changedType(Folder folder, byte[] name, ParallelFileCopies workers) throws IOException {
        Stat now = folder.source.statEntryIfExists(name);
        if (now == null) {
            vanished(folder, name);
        } else if (now.isRegularFile()) {
            submitFile(folder, name, workers);
        } else if (now.isSymbolicLink()) {
            copyLink(folder, name);
        } else {
            log.warn("Skipping '{}': it changed to a {} while being copied", folder.source.pathOf(name), now.kind());
            counters.skipped();
        }
    }

    private void vanished(Folder folder, byte[] name) {
        log.warn("Skipping '{}': it was removed from the source while being copied", folder.source.pathOf(name));
        counters.skipped();
    }

    private void skipSpecial(Folder folder, byte[] name) {
        counters.skipped();
        log.warn("Skipping '{}': it is a fifo, socket or device, which Ferry does not copy",
                folder.source.pathOf(name));
    }

    private void ownerNotKept(Errno e) throws Errno {
        if (!(e.is(LibC.EPERM) || e.is(LibC.EINVAL))) {
            throw e;
        }
        if (ownerWarningLogged.compareAndSet(false, true)) {
            log.warn("Cannot keep file owners in this copy ({}); files keep the copying user as owner. Run "
                    + "the data node as root and export the share without root squashing to keep owners",
                    e.getMessage());
        }
    }




    private CopyFailedException outcome(IOException error) {
        return failures.of(error, stop, touched.get(), progress == null ? 0 : progress.bytesDone());
    }

    /**
     * A directory being copied, open on both sides. It holds itself while the walk lists it, and is held by each
     * of its files being copied and each subdirectory not finished yet; when the last hold is released its
     * metadata is applied (after its content, so its times stay) and both handles are closed.
     */
    private final class Folder {
        final Folder parent;
        final DirHandle source;
        final DirHandle target;
        final Stat metadata;
        final int depth;
        final boolean ownsHandles;
        /** Its path below the root, as bytes ("" for the root). */
        final byte[] entryPath;
        /** Extended attributes to set on the target once its content is copied (a backup's; none otherwise). */
        final List<Xattrs.Attribute> xattrs;
        final AtomicInteger holds = new AtomicInteger(1);
        DirEntries entries; // only the walking thread reads it

        Folder(Folder parent, DirHandle source, DirHandle target, Stat metadata, int depth, boolean ownsHandles,
               byte[] entryPath, List<Xattrs.Attribute> xattrs) {
            this.entryPath = entryPath;
            this.xattrs = xattrs;
            this.parent = parent;
            this.source = source;
            this.target = target;
            this.metadata = metadata;
            this.depth = depth;
            this.ownsHandles = ownsHandles;
            if (ownsHandles) {
                openFolders.add(this);
            }
        }

        void closeHandles() {
            if (ownsHandles) {
                source.close();
                target.close();
                openFolders.remove(this);
            }
        }

        void hold() {
            holds.incrementAndGet();
        }

        void release() {
            if (holds.decrementAndGet() != 0) {
                return;
            }
            try {
                if (metadata != null && !stop.shouldStop()) {
                    applyDirectoryMetadata();
                }
            } catch (IOException e) {
                stop.fail(new IOException("cannot set the owner, mode or times of directory '" + source.path()
                        + "': " + e.getMessage(), e));
            } finally {
                closeHandles();
            }
            if (parent != null) {
                parent.release();
            }
        }

        private void applyDirectoryMetadata() throws IOException {
            for (Xattrs.Attribute attribute : xattrs) { // last: a default ACL must not pass on to its copied content
                setXattr(target::setXattr, attribute, source.path());
            }
            try {
                target.chown(metadata.uid(), metadata.gid());
            } catch (Errno e) {
                ownerNotKept(e);
            }
            target.chmod(metadata.permissions());
            target.setTimes(metadata.times());
        }
    }
}
