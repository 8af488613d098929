package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a backup's repository copy against its manifest: reads every regular file of the manifest, in manifest
 * order, and takes its CRC32C (holes read as zeros). A file is damaged when it is missing, is no longer a regular
 * file, has another size, or has another checksum. Folders are opened one component at a time without following
 * links, and the folder of the last file is kept open for the next one.
 */
final class BackupVerifier {

    private static final Logger log = LoggerFactory.getLogger(BackupVerifier.class);
    static final int FIRST_DAMAGED_KEPT = 10;

    private final ChecksummedContentCopier reader;

    BackupVerifier(int chunkBytes) {
        this.reader = new ChecksummedContentCopier(chunkBytes, ByteRateLimiter.perSecond(0));
    }

    VerifyReport verify(Manifest manifest, DirHandle backupRoot, ProgressListener listener, StopSignal stop,
                        java.time.Duration progressInterval) throws IOException {
        long[] totals = new long[2];
        manifest.forEach(entry -> {
            if (ManifestEntry.FILE.equals(entry.type())) {
                totals[0] += entry.size();
                totals[1]++;
            }
        });
        ProgressReporter progress = new ProgressReporter(listener, new TreeSize(totals[0], totals[1]),
                progressInterval, System::nanoTime);
        progress.start();
        Walk walk = new Walk(backupRoot, stop, progress);
        try {
            manifest.forEach(entry -> {
                if (ManifestEntry.FILE.equals(entry.type())) {
                    walk.check(entry);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            walk.close();
        }
        progress.finish();
        return new VerifyReport(walk.files, walk.bytes, walk.damaged, walk.firstDamaged);
    }

    /** Carries an I/O failure out of a manifest walk's callback. */
    private static final class UncheckedIOException extends RuntimeException {
        UncheckedIOException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** One pass over the manifest's files. */
    private final class Walk {
        private final DirHandle root;
        private final StopSignal stop;
        private final ProgressReporter progress;
        private byte[] openFolderPath;
        private DirHandle openFolder;
        long files;
        long bytes;
        long damaged;
        final List<String> firstDamaged = new ArrayList<>();

        Walk(DirHandle root, StopSignal stop, ProgressReporter progress) {
            this.root = root;
            this.stop = stop;
            this.progress = progress;
        }

        void check(ManifestEntry entry) {
            try {
                stop.check();
                stop.progressed("verifying '" + entry.pathText() + "'");
                String problem = problemOf(entry);
                files++;
                if (problem != null) {
                    damaged++;
                    if (firstDamaged.size() < FIRST_DAMAGED_KEPT) {
                        firstDamaged.add(entry.pathText());
                    }
                    log.warn("Backup file '{}' is damaged in the repository: {}", entry.pathText(), problem);
                }
                progress.fileDone();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** What is wrong with the repository's copy of {@code entry}; null when it matches the manifest. */
        private String problemOf(ManifestEntry entry) throws IOException {
            DirHandle folder = folderOf(ManifestSchema.parentOf(entry.path()));
            if (folder == null) {
                return "its folder is missing";
            }
            FileHandle file;
            try {
                file = folder.openRegularFile(ManifestSchema.nameOf(entry.path()));
            } catch (Errno e) {
                if (e.is(LibC.ENOENT) || e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR)) {
                    return "it is missing";
                }
                throw e;
            }
            if (file == null) {
                return "it is not a regular file";
            }
            try (file) {
                Stat metadata = file.stat();
                if (metadata.size() != entry.size()) {
                    return "it has " + metadata.size() + " bytes, the manifest says " + entry.size();
                }
                ChecksummedContentCopier.Copied read = reader.checksum(file, entry.size(),
                        ChecksummedContentCopier.isSparse(metadata), stop, progress::addBytes);
                bytes += read.bytes();
                if (read.bytes() != entry.size()) {
                    return "only " + read.bytes() + " of its " + entry.size() + " bytes could be read";
                }
                if (read.checksum() != entry.checksum()) {
                    return String.format("its CRC32C is %08x, the manifest says %08x", read.checksum(),
                            entry.checksum());
                }
                return null;
            }
        }

        /** The open folder at {@code path} below the root; null when it is missing (or not a folder). */
        private DirHandle folderOf(byte[] path) throws IOException {
            if (path.length == 0) {
                return root;
            }
            if (openFolder != null && Arrays.equals(path, openFolderPath)) {
                return openFolder;
            }
            closeOpenFolder();
            DirHandle current = root;
            int start = 0;
            try {
                while (start <= path.length) {
                    int end = start;
                    while (end < path.length && path[end] != '/') {
                        end++;
                    }
                    DirHandle next = current.openDirectory(Arrays.copyOfRange(path, start, end));
                    if (current != root) {
                        current.close();
                    }
                    current = next;
                    start = end + 1;
                }
            } catch (Errno e) {
                if (current != root) {
                    current.close();
                }
                if (e.is(LibC.ENOENT) || e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR)) {
                    return null;
                }
                throw e;
            }
            openFolder = current;
            openFolderPath = path;
            return current;
        }

        private void closeOpenFolder() {
            if (openFolder != null) {
                openFolder.close();
                openFolder = null;
                openFolderPath = null;
            }
        }

        void close() {
            closeOpenFolder();
        }
    }
}
