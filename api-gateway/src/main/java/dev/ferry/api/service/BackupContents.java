package dev.ferry.api.service;

import java.util.List;

/**
 * What a backup holds, as a data node reads it from the backup's manifest: the api-gateway mounts nothing. The
 * AMQP implementation asks any data node over {@code ferry-data-query}.
 */
public interface BackupContents {

    /** One entry of a folder; {@code checksum} null for directories and links, {@code mtimeNanos} since the epoch. */
    record File(String path, String type, long size, int mode, long mtimeNanos, String checksum) {
    }

    /** One page of a folder, sorted by name; {@code more} when entries follow. */
    record Page(List<File> files, boolean more) {
        public Page {
            files = List.copyOf(files);
        }
    }

    /**
     * {@code limit} entries directly inside {@code folder} ("" for the root) from the {@code offset}-th.
     *
     * @throws Refused      the data node's driver refused (no manifest, an unknown folder)
     * @throws Unavailable  no data node answered
     */
    Page browse(String backupId, String folder, int limit, long offset, String requestId);

    /** Those of {@code paths} the backup does not hold, in the order given; throws as {@link #browse}. */
    List<String> missingPaths(String backupId, List<String> paths, String requestId);

    /** The driver refused: {@code noManifest} when the backup has none, else {@code getMessage()} says why. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean noManifest;
        private final boolean byRequest;

        /** {@code byRequest}: the request was at fault (an unknown folder), not the data node (it could not read). */
        public Refused(String message, boolean noManifest, boolean byRequest) {
            super(message);
            this.noManifest = noManifest;
            this.byRequest = byRequest;
        }

        public boolean noManifest() {
            return noManifest;
        }

        public boolean byRequest() {
            return byRequest;
        }
    }

    /** No data node answered in time, or the api-gateway is not connected to the broker. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }

    /** Without a broker: every question is {@link Unavailable}. */
    static BackupContents unreachable(String why) {
        return new BackupContents() {
            @Override
            public Page browse(String backupId, String folder, int limit, long offset, String requestId) {
                throw new Unavailable(why);
            }

            @Override
            public List<String> missingPaths(String backupId, List<String> paths, String requestId) {
                throw new Unavailable(why);
            }
        };
    }
}
