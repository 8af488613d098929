package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One restore of a backup that has a manifest: the manifest is the plan, and what the target holds decides what is
 * written, so a whole restore, a selective one, each overwrite policy and a resumed attempt are the same walk.
 *
 * <ol>
 *   <li>A first pass over the (selected) entries sums the bytes to write, for progress.
 *   <li>The walk takes entries in manifest order (a directory before what it holds). Directories are created;
 *       in each one walked, what an earlier attempt left ({@code .ferry-<name>.<8 hex>}) is removed, and with
 *       {@code delete_extra} so is every entry the backup does not hold there (names on the ignore list stay).
 *       Symbolic links are made on the walking thread. Regular files go to {@link ParallelFileCopies}: each is
 *       read once from the repository into a temporary file in its folder while its CRC32C is computed
 *       ({@link ChecksummedContentCopier}), and renamed into place with its owner, extended attributes, mode and times
 *       only when size and checksum match the manifest. A missing or mismatching repository file is never
 *       written: it is counted as damaged and the walk goes on. Files of a hard-link group are handled on the
 *       walking thread, in order, so that the group's first file is in place when the others link to it.
 *   <li>A last pass sets directories' owners, extended attributes (a default ACL only now, so files restored
 *       inside do not inherit one they did not have), modes and times, after their content.
 * </ol>
 *
 * <p>Overwrite policies: {@code always} replaces; {@code never} leaves anything already at a file's name
 * (counted as skipped); {@code if-changed} leaves a target file that is identical to the manifest's: same size
 * and modification time, then the same CRC32C, read from the target (reading is what makes the answer sure; a
 * policy trusting size and time alone, as rsync does by default, would skip the reads and miss a file changed
 * without its time changing). A resumed attempt skips identical files that way whatever the policy.
 *
 * <p>Memory is bounded by {@link RestoreFolders#MAX_OPEN} folders, the copy queue and the selection, never by the
 * manifest's size: it is streamed, and looked up by path only for the names of a folder being tidied and for a
 * hard link's first file.
 */
final class ManifestRestoreRun {

    private static final Logger log = LoggerFactory.getLogger(ManifestRestoreRun.class);
    private static final int NEW_DIRECTORY_MODE = 0700;

    private final CopyOptions options;
    private final Manifest manifest;
    private final DirHandle sourceRoot;
    private final DirHandle targetRoot;
    private final RestoreSelection selection;
    private final boolean resumed;
    private final String description;
    private final RunFailures failures;
    private final ProgressListener listener;
    private final Cancellation cancellation;
    private final StopSignal stop;
    private final IgnoreList ignore;
    private final XattrWriter xattrWriter;
    private final ChecksummedContentCopier copier;
    private final TargetTidier tidier;
    private final RestoreCounters counters = new RestoreCounters();
    private final AtomicBoolean touched = new AtomicBoolean();
    private final AtomicBoolean ownerWarningLogged = new AtomicBoolean();
    private final AtomicBoolean dropWarningLogged = new AtomicBoolean();
    /** Directories the target holds as something else under {@code never}: nothing below them is restored. */
    private final List<byte[]> blocked = new ArrayList<>();
    private ProgressReporter progress;

    /** The roots (the backup's folder in the repository, the target share's root) stay the caller's to close. */
    ManifestRestoreRun(CopyOptions options, Manifest manifest, DirHandle sourceRoot, DirHandle targetRoot,
                       RestoreSelection selection, boolean resumed, String description, ProgressListener listener,
                       Cancellation cancellation, XattrWriter xattrWriter) {
        this.options = options;
        this.manifest = manifest;
        this.sourceRoot = sourceRoot;
        this.targetRoot = targetRoot;
        this.selection = selection;
        this.resumed = resumed;
        this.description = description;
        this.failures = new RunFailures("Restoring " + description,
                "Files restored before the failure stay in the target",
                "the target holds a partial restore (no temporary file is left)");
        this.listener = listener;
        this.cancellation = cancellation;
        this.stop = new StopSignal(cancellation);
        this.ignore = new IgnoreList(options.ignoreFiles());
        this.tidier = new TargetTidier(manifest, ignore, selection.deleteExtra(), stop, cancellation, touched);
        this.xattrWriter = xattrWriter;
        this.copier = new ChecksummedContentCopier(options.chunkBytes(),
                ByteRateLimiter.perSecond(options.maxBytesPerSecond()));
    }

    /**
     * Restores the selection. Damaged files and dropped attributes do not fail it: the report counts them.
     *
     * @throws CopyFailedException when the restore failed or was cancelled; no temporary file is left then either
     */
    CopyReport run() throws CopyFailedException {
        List<byte[]> paths = SelectedPaths.of(selection.paths());
        log.info("Restoring {} from its manifest ({}, overwrite {}{}{}, {} threads)", description,
                selection.whole() ? "everything" : paths.size() + " selected paths", selection.overwrite().wireName(),
                selection.deleteExtra() ? ", deleting what the backup does not hold" : "",
                resumed ? ", resuming an earlier attempt" : "", options.copyThreads());
        try {
            progress = new ProgressReporter(listener, measure(paths), options.progressInterval(), System::nanoTime);
        } catch (IOException e) {
            throw outcome(e);
        }
        progress.start();
        try (RestoreFolders folders = new RestoreFolders(sourceRoot, targetRoot)) {
            List<byte[]> createdParents = new ArrayList<>();
            try (ParallelFileCopies workers = new ParallelFileCopies(options.copyThreads(), stop, "ferry-restore")) {
                if (!workers.walkThenAwaitAll(() -> walk(paths, folders, workers, createdParents))) {
                    throw outcome(null); // closing the workers interrupts them and waits
                }
            }
            if (stop.shouldStop()) {
                throw outcome(null);
            }
            try {
                setDirectoryMetadata(paths, folders, createdParents);
            } catch (IOException e) {
                throw outcome(e);
            }
        }
        progress.finish();
        CopyReport report = counters.report();
        log.info("Restored {}: {} files ({} bytes), {} directories, {} symbolic links written; {} files ({} bytes) "
                        + "already in place; {} damaged{}; {} attributes refused{}", description, report.files(),
                report.bytes(), report.directories(), report.symlinks(), report.filesSkipped(), report.bytesSkipped(),
                report.damagedFiles(), report.firstDamaged() == null ? "" : " (first: " + report.firstDamaged() + ")",
                report.metadataDropped(), report.firstDropped() == null ? "" : " (first: " + report.firstDropped() + ")");
        return report;
    }

    // ---- passes over the manifest ----

    private TreeSize measure(List<byte[]> paths) throws IOException {
        long[] totals = new long[2];
        eachSelected(paths, entry -> {
            if (ManifestEntry.FILE.equals(entry.type())) {
                if (!isLinkedToEarlier(entry)) {
                    totals[0] += entry.size();
                }
                totals[1]++;
            } else if (ManifestEntry.SYMLINK.equals(entry.type())) {
                totals[1]++;
            }
            stop.progressed("reading the manifest");
        });
        return new TreeSize(totals[0], totals[1]);
    }

    private void walk(List<byte[]> paths, RestoreFolders folders, ParallelFileCopies workers,
                      List<byte[]> createdParents) throws IOException {
        if (paths.isEmpty()) {
            tidier.tidy(folders.get(new byte[0]));
            streamed(consumer -> manifest.forEach(consumer), entry -> restoreEntry(entry, folders, workers));
            return;
        }
        for (byte[] path : paths) {
            stop.check();
            ensureParents(path, folders, createdParents);
            ManifestEntry top = manifest.find(path);
            if (top != null && !ManifestEntry.DIRECTORY.equals(top.type())) {
                tidier.removeLeftoversOf(folders, path);
            }
            streamed(consumer -> manifest.forEachUnder(path, consumer),
                    entry -> restoreEntry(entry, folders, workers));
        }
    }

    private void setDirectoryMetadata(List<byte[]> paths, RestoreFolders folders, List<byte[]> createdParents)
            throws IOException {
        eachSelected(paths, entry -> {
            if (ManifestEntry.DIRECTORY.equals(entry.type()) && entry.path().length > 0 && !isBlocked(entry.path())
                    && !ignore.ignores(ManifestPaths.nameOf(entry.path()))) {
                uncheck(() -> applyDirectoryMetadata(entry, folders));
            }
        });
        for (int i = createdParents.size() - 1; i >= 0; i--) {
            ManifestEntry parent = manifest.find(createdParents.get(i));
            if (parent != null) {
                applyDirectoryMetadata(parent, folders);
            }
        }
    }

    private void eachSelected(List<byte[]> paths, Consumer<ManifestEntry> action) throws IOException {
        if (paths.isEmpty()) {
            streamed(consumer -> manifest.forEach(consumer), action);
        } else {
            for (byte[] path : paths) {
                streamed(consumer -> manifest.forEachUnder(path, consumer), action);
            }
        }
    }

    @FunctionalInterface
    private interface Stream {
        void each(Consumer<ManifestEntry> consumer) throws IOException;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Runs a manifest stream, letting the I/O errors of {@code action} out unwrapped. */
    private static void streamed(Stream stream, Consumer<ManifestEntry> action) throws IOException {
        try {
            stream.each(action);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void uncheck(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- entries ----

    private void restoreEntry(ManifestEntry entry, RestoreFolders folders, ParallelFileCopies workers) {
        uncheck(() -> {
            stop.check();
            byte[] path = entry.path();
            if (path.length == 0 || ignore.ignores(ManifestPaths.nameOf(path))) {
                return; // the target root keeps its own metadata
            }
            if (isBlocked(path)) {
                if (ManifestEntry.FILE.equals(entry.type())) {
                    skipped(entry); // below a directory the target holds as something else, which never keeps
                }
                return;
            }
            stop.progressed("restoring '" + entry.pathText() + "'");
            switch (entry.type()) {
                case ManifestEntry.DIRECTORY -> restoreDirectory(entry, folders);
                case ManifestEntry.SYMLINK -> restoreSymlink(entry, folders);
                case ManifestEntry.FILE -> {
                    if (entry.linkGroup() != 0) {
                        restoreLinkedFile(entry, folders); // in order, on this thread
                    } else {
                        submitFile(entry, folders, workers);
                    }
                }
                default -> {
                    log.warn("Skipping '{}': the manifest gives it the unknown type '{}'", entry.pathText(),
                            entry.type());
                    counters.skipped();
                }
            }
        });
    }

    private void restoreDirectory(ManifestEntry entry, RestoreFolders folders) throws IOException {
        byte[] name = ManifestPaths.nameOf(entry.path());
        boolean created;
        RestoreFolders.Folder parent = folders.get(ManifestPaths.parentOf(entry.path()));
        try {
            Directory made = ensureDirectory(parent.target, name);
            if (made == null) {
                blocked.add(entry.path());
                return;
            }
            created = made.created();
            DirHandle target = made.handle();
            DirHandle source;
            try {
                source = parent.source == null ? null : RestoreFolders.openIfDirectory(parent.source, name);
            } catch (IOException | RuntimeException e) {
                target.close();
                throw e;
            }
            folders.put(entry.path(), source, target);
            counters.directory();
        } finally {
            parent.release();
        }
        if (!created) { // a directory just made holds nothing to tidy
            tidier.tidy(folders.get(entry.path()));
        }
    }

    /** A directory of the target, open, and whether this restore made it. */
    private record Directory(DirHandle handle, boolean created) {
    }

    /** Makes {@code name} a directory and opens it; null when {@code never} keeps a non-directory there. */
    private Directory ensureDirectory(DirHandle parent, byte[] name) throws IOException {
        String path = parent.pathOf(name);
        try {
            boolean created = parent.makeDirectory(name, NEW_DIRECTORY_MODE);
            if (created) {
                touched.set(true);
            }
            return new Directory(parent.openDirectory(name), created);
        } catch (Errno e) {
            if (!(e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR))) {
                throw new IOException("cannot create directory '" + path + "' in the target: " + e.getMessage(), e);
            }
        }
        Stat existing = parent.statEntryIfExists(name);
        if (selection.overwrite() == RestoreSelection.Overwrite.NEVER) {
            log.info("Leaving the {} '{}' in the target as it is (overwrite never): the directory of that name in "
                    + "the backup, and what it holds, are not restored", existing == null ? "entry" : existing.kind(),
                    path);
            return null;
        }
        log.info("Replacing the {} '{}' in the target with the directory of the same name from the backup",
                existing == null ? "entry" : existing.kind(), path);
        touched.set(true);
        parent.unlink(name);
        if (!parent.makeDirectory(name, NEW_DIRECTORY_MODE)) {
            throw new IOException("'" + path + "' was created again by someone else while it was replaced. Make sure "
                    + "nothing else writes to the target, then run the restore again");
        }
        return new Directory(parent.openDirectory(name), true);
    }

    /** Creates the missing folders above a selected path, recording them to set their metadata at the end. */
    private void ensureParents(byte[] path, RestoreFolders folders, List<byte[]> createdParents) throws IOException {
        byte[] parentPath = ManifestPaths.parentOf(path);
        if (parentPath.length == 0) {
            return;
        }
        RestoreFolders.Folder current = folders.get(new byte[0]);
        int start = 0;
        try {
            while (start <= parentPath.length) {
                int end = start;
                while (end < parentPath.length && parentPath[end] != '/') {
                    end++;
                }
                byte[] name = Arrays.copyOfRange(parentPath, start, end);
                byte[] prefix = Arrays.copyOf(parentPath, end);
                if (current.target.makeDirectory(name, NEW_DIRECTORY_MODE)) {
                    touched.set(true);
                    createdParents.add(prefix);
                }
                RestoreFolders.Folder next = folders.get(prefix);
                current.release();
                current = next;
                start = end + 1;
            }
        } catch (Errno e) {
            throw new IOException("cannot create the folders above '" + Names.display(path) + "' in the target: "
                    + e.getMessage(), e);
        } finally {
            current.release();
        }
    }

    private void restoreSymlink(ManifestEntry entry, RestoreFolders folders) throws IOException {
        byte[] name = ManifestPaths.nameOf(entry.path());
        String path = entry.pathText();
        RestoreFolders.Folder folder = folders.get(ManifestPaths.parentOf(entry.path()));
        try {
            DirHandle target = folder.target;
            Stat existing = target.statEntryIfExists(name);
            if (existing != null) {
                if (selection.overwrite() == RestoreSelection.Overwrite.NEVER) {
                    progress.fileDone();
                    return;
                }
                if ((resumed || selection.overwrite() == RestoreSelection.Overwrite.IF_CHANGED)
                        && existing.isSymbolicLink() && Arrays.equals(target.readLink(name), entry.linkTarget())) {
                    progress.fileDone();
                    return;
                }
            }
            byte[] text = entry.linkTarget() == null ? new byte[0] : entry.linkTarget();
            if (existing == null) {
                target.symlink(name, text);
            } else {
                byte[] temporary = TemporaryNames.of(name);
                target.symlink(temporary, text);
                replace(target, temporary, name, path, "symbolic link");
            }
            touched.set(true);
            long[] times = times(entry);
            try {
                target.setEntryOwnerAndTimes(name, entry.uid(), entry.gid(), times, true);
            } catch (Errno e) {
                if (!(e.is(LibC.EPERM) || e.is(LibC.EINVAL))) {
                    throw e;
                }
                ownerNotKept(e);
                target.setEntryOwnerAndTimes(name, 0, 0, times, false);
            }
            counters.symlink();
            progress.fileDone();
        } catch (CopyStoppedException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot restore symbolic link '" + path + "': " + e.getMessage(), e);
        } finally {
            folder.release();
        }
    }

    private void submitFile(ManifestEntry entry, RestoreFolders folders, ParallelFileCopies workers)
            throws IOException {
        RestoreFolders.Folder folder = folders.get(ManifestPaths.parentOf(entry.path()));
        try {
            workers.submit(() -> {
                try {
                    restoreFile(entry, folder);
                } finally {
                    folder.release();
                }
            });
        } catch (InterruptedException e) {
            folder.release();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing '" + entry.pathText() + "'");
        } catch (RuntimeException e) {
            folder.release();
            throw e;
        }
    }

    /** A file of a hard-link group: the group's first is restored as a file, the others link to it. */
    private void restoreLinkedFile(ManifestEntry entry, RestoreFolders folders) throws IOException {
        RestoreFolders.Folder folder = folders.get(ManifestPaths.parentOf(entry.path()));
        try {
            if (entry.linkGroup() == entry.id() || !linkToFirst(entry, folder, folders)) {
                restoreFile(entry, folder);
            }
        } finally {
            folder.release();
        }
    }

    /**
     * Links {@code entry} to its group's first file when the target holds that one as the manifest has it
     * (restored by this run, or there already): true when done or left alone, false to restore it as a file.
     */
    private boolean linkToFirst(ManifestEntry entry, RestoreFolders.Folder folder, RestoreFolders folders)
            throws IOException {
        ManifestEntry first = manifest.byId(entry.linkGroup());
        if (first == null || !ManifestEntry.FILE.equals(first.type()) || isBlocked(first.path())) {
            return false;
        }
        byte[] name = ManifestPaths.nameOf(entry.path());
        Stat existing = folder.target.statEntryIfExists(name);
        if (existing != null && selection.overwrite() == RestoreSelection.Overwrite.NEVER) {
            skipped(entry);
            return true;
        }
        RestoreFolders.Folder firstFolder;
        try {
            firstFolder = folders.get(ManifestPaths.parentOf(first.path()));
        } catch (Errno e) {
            return false; // its folder is not in the target
        }
        try {
            byte[] firstName = ManifestPaths.nameOf(first.path());
            Stat anchor = firstFolder.target.statEntryIfExists(firstName);
            if (anchor == null || !anchor.isRegularFile() || anchor.size() != first.size()
                    || mtimeNanos(anchor) != first.mtimeNanos()) {
                return false;
            }
            if (existing != null && existing.inode() == anchor.inode() && existing.device() == anchor.device()) {
                skipped(entry);
                return true;
            }
            byte[] temporary = TemporaryNames.of(name);
            folder.target.link(firstFolder.target, firstName, temporary);
            touched.set(true);
            replace(folder.target, temporary, name, entry.pathText(), "file");
            counters.file(0);
            progress.fileDone();
            return true;
        } finally {
            firstFolder.release();
        }
    }

    /** Restores one regular file through a temporary name, or counts it skipped or damaged. */
    private void restoreFile(ManifestEntry entry, RestoreFolders.Folder folder) throws IOException {
        stop.check();
        byte[] name = ManifestPaths.nameOf(entry.path());
        String path = entry.pathText();
        if (selection.overwrite() != RestoreSelection.Overwrite.ALWAYS || resumed) {
            Stat existing = folder.target.statEntryIfExists(name);
            if (existing != null && (selection.overwrite() == RestoreSelection.Overwrite.NEVER
                    || identical(folder.target, name, existing, entry))) {
                skipped(entry);
                return;
            }
        }
        FileHandle in = openInRepository(folder, name);
        if (in == null) {
            damaged(entry, "missing from the backup repository");
            return;
        }
        try (in) {
            long size = in.stat().size();
            if (size != entry.size()) {
                damaged(entry, "the repository copy has " + size + " bytes, the manifest " + entry.size());
                return;
            }
            writeVerified(entry, folder.target, name, path, in);
        }
    }

    private void writeVerified(ManifestEntry entry, DirHandle target, byte[] name, String path, FileHandle in)
            throws IOException {
        byte[] temporary = TemporaryNames.of(name);
        FileHandle out = TemporaryFiles.create(target, temporary, path);
        boolean renamed = false;
        touched.set(true);
        try (out) {
            stop.progressed("restoring '" + path + "'");
            ChecksummedContentCopier.Copied content = copier.copyExpecting(in, out, entry.size(), entry.sparse(),
                    stop, this::movedBytes);
            if (content.bytes() != entry.size() || content.checksum() != entry.checksum()) {
                damaged(entry, content.bytes() != entry.size()
                        ? "the repository copy has " + content.bytes() + " bytes, the manifest " + entry.size()
                        : String.format("its checksum is crc32c:%08x, the manifest's %s", content.checksum(),
                        entry.checksumText()));
                return;
            }
            applyFileMetadata(out, entry);
            replace(target, temporary, name, path, "file");
            renamed = true;
            counters.file(content.bytes());
            progress.fileDone();
        } catch (CopyStoppedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("'" + path)) {
                throw e;
            }
            throw new IOException("cannot restore file '" + path + "': " + e.getMessage(), e);
        } finally {
            if (!renamed) {
                TemporaryFiles.removeQuietly(target, temporary);
            }
        }
    }

    /** The repository's copy of a file, or null when it is missing or not a regular file. */
    private static FileHandle openInRepository(RestoreFolders.Folder folder, byte[] name) throws IOException {
        if (folder.source == null) {
            return null;
        }
        try {
            return folder.source.openRegularFile(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT) || e.is(LibC.ELOOP)) {
                return null;
            }
            throw e;
        }
    }

    /** Whether the target's file has the manifest's size, modification time and checksum. */
    private boolean identical(DirHandle target, byte[] name, Stat existing, ManifestEntry entry) throws IOException {
        if (!(resumed || selection.overwrite() == RestoreSelection.Overwrite.IF_CHANGED)
                || !existing.isRegularFile() || existing.size() != entry.size()
                || mtimeNanos(existing) != entry.mtimeNanos()) {
            return false;
        }
        FileHandle current;
        try {
            current = target.openRegularFile(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT) || e.is(LibC.ELOOP)) {
                return false;
            }
            throw e;
        }
        if (current == null) {
            return false;
        }
        try (current) {
            ChecksummedContentCopier.Copied content = copier.checksumExpecting(current, entry.size(), stop,
                    bytes -> stop.progressed("comparing '" + current.path() + "'"));
            return content.bytes() == entry.size() && content.checksum() == entry.checksum();
        }
    }

    /** Renames the temporary entry over {@code name}; a directory there is never removed to make room. */
    private void replace(DirHandle target, byte[] temporary, byte[] name, String path, String what)
            throws IOException {
        TemporaryFiles.renameOver(target, temporary, name, () -> "the target has a directory '" + path
                + "' where the backup has a " + what + "; Ferry does not delete directories to make room (unless "
                + "asked to delete what the backup does not hold). Move or remove that directory in the target, "
                + "then run the restore again");
    }

    // ---- metadata ----

    private void applyFileMetadata(FileHandle out, ManifestEntry entry) throws IOException {
        try {
            out.chown(entry.uid(), entry.gid());
        } catch (Errno e) {
            ownerNotKept(e);
        }
        applyXattrs(out::setXattr, entry);
        out.chmod(entry.mode() & 07777); // after the owner: chown clears setuid and setgid bits
        out.setTimes(times(entry));
    }

    private void applyDirectoryMetadata(ManifestEntry entry, RestoreFolders folders) throws IOException {
        stop.check();
        RestoreFolders.Folder folder = folders.get(entry.path());
        try {
            DirHandle target = folder.target;
            try {
                target.chown(entry.uid(), entry.gid());
            } catch (Errno e) {
                ownerNotKept(e);
            }
            applyXattrs(target::setXattr, entry);
            target.chmod(entry.mode() & 07777);
            target.setTimes(times(entry));
            stop.progressed("setting the metadata of '" + entry.pathText() + "'");
        } catch (CopyStoppedException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot set the owner, mode or times of directory '" + entry.pathText() + "': "
                    + e.getMessage(), e);
        } finally {
            folder.release();
        }
    }

    /** Sets the entry's extended attributes and ACLs; what the target refuses is counted, never fatal. */
    private void applyXattrs(XattrWriter.Target holder, ManifestEntry entry) throws IOException {
        if (entry.xattrs() == null) {
            return;
        }
        for (Xattrs.Attribute attribute : Xattrs.decode(entry.xattrs())) {
            try {
                xattrWriter.set(holder, attribute);
            } catch (Errno e) {
                String what = entry.pathText() + " (" + attribute.nameText() + ")";
                counters.dropped(entry.id(), what);
                if (dropWarningLogged.compareAndSet(false, true)) {
                    log.warn("The target refused the extended attribute or ACL {}: {}; the file is restored without "
                            + "it (further refusals are counted, logged at debug)", what, e.getMessage());
                } else {
                    log.debug("The target refused {}: {}", what, e.getMessage());
                }
            }
        }
    }

    private void ownerNotKept(Errno e) throws Errno {
        if (!(e.is(LibC.EPERM) || e.is(LibC.EINVAL))) {
            throw e;
        }
        if (ownerWarningLogged.compareAndSet(false, true)) {
            log.warn("Cannot keep file owners in this restore ({}); files keep the restoring user as owner. Run the "
                    + "data node as root and export the share without root squashing to keep owners", e.getMessage());
        }
    }

    // ---- small helpers ----

    private boolean isBlocked(byte[] path) {
        for (byte[] folder : blocked) {
            if (SelectedPaths.isAtOrBelow(path, folder)) {
                return true;
            }
        }
        return false;
    }

    /** A later file of a hard-link group, which a restore links rather than writes. */
    private static boolean isLinkedToEarlier(ManifestEntry entry) {
        return entry.linkGroup() != 0 && entry.linkGroup() != entry.id();
    }

    private void skipped(ManifestEntry entry) {
        counters.fileSkipped(entry.size());
        progress.addBytes(isLinkedToEarlier(entry) ? 0 : entry.size());
        progress.fileDone();
    }

    private void damaged(ManifestEntry entry, String why) {
        log.warn("Not restoring '{}': {}. The rest of the backup is restored", entry.pathText(), why);
        counters.damaged(entry.id(), entry.pathText());
        progress.fileDone();
    }

    private void movedBytes(long bytes) {
        progress.addBytes(bytes);
        stop.progressed("copying file content");
    }

    private static long[] times(ManifestEntry entry) {
        return new long[] {Math.floorDiv(entry.atimeNanos(), 1_000_000_000L),
                Math.floorMod(entry.atimeNanos(), 1_000_000_000L),
                Math.floorDiv(entry.mtimeNanos(), 1_000_000_000L),
                Math.floorMod(entry.mtimeNanos(), 1_000_000_000L)};
    }

    private static long mtimeNanos(Stat stat) {
        return stat.modifiedSeconds() * 1_000_000_000L + stat.modifiedNanos();
    }


    private CopyFailedException outcome(IOException error) {
        return failures.of(error, stop, touched.get(), progress == null ? 0 : progress.bytesDone());
    }
}
