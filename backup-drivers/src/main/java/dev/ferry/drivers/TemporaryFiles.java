package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Creates and removes the temporary files ({@link TemporaryNames}) that backups and restores write before renaming
 * them into place.
 */
final class TemporaryFiles {

    private static final Logger log = LoggerFactory.getLogger(TemporaryFiles.class);
    private static final int NEW_FILE_MODE = 0600;
    private static final int ATTEMPTS = 5;

    private TemporaryFiles() {
    }

    /**
     * Creates {@code temporary} in {@code target}, drawing new random digits into it when a file of that name
     * exists; {@code path} names the file it stands for in the error.
     */
    static FileHandle create(DirHandle target, byte[] temporary, String path) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return target.createFile(temporary, NEW_FILE_MODE);
            } catch (Errno e) {
                if (!e.is(LibC.EEXIST) || attempt == ATTEMPTS - 1) {
                    throw new IOException("cannot create a temporary file beside '" + path + "' in the target: "
                            + e.getMessage(), e);
                }
                TemporaryNames.randomize(temporary);
            }
        }
    }

    /**
     * Renames {@code temporary} over {@code name}, removing the temporary when that fails. A directory there is
     * never removed to make room: the error then says what {@code directoryInTheWay} gives.
     */
    static void renameOver(DirHandle target, byte[] temporary, byte[] name, Supplier<String> directoryInTheWay)
            throws IOException {
        try {
            target.rename(temporary, name);
        } catch (Errno e) {
            removeQuietly(target, temporary);
            if (e.is(LibC.EISDIR) || e.is(LibC.ENOTEMPTY) || e.is(LibC.EEXIST)) {
                throw new IOException(directoryInTheWay.get(), e);
            }
            throw e;
        }
    }

    /** Removes a temporary entry, logging (not throwing) when that fails; one already gone is fine. */
    static void removeQuietly(DirHandle directory, byte[] name) {
        try {
            directory.unlink(name);
        } catch (Errno e) {
            if (!e.is(LibC.ENOENT)) {
                log.warn("Could not remove the temporary '{}': {}", directory.pathOf(name), e.getMessage());
            }
        } catch (IOException e) {
            log.warn("Could not remove the temporary '{}': {}", directory.pathOf(name), e.getMessage());
        }
    }
}
