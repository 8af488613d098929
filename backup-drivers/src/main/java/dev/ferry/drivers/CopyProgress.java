package dev.ferry.drivers;

/**
 * How far a copy has got. Bytes count regular-file content; files count regular files and symbolic links.
 */
public record CopyProgress(long bytesDone, long bytesTotal, long filesDone, long filesTotal) {

    public CopyProgress {
        if (bytesDone < 0 || bytesTotal < 0 || filesDone < 0 || filesTotal < 0) {
            throw new IllegalArgumentException("progress counts cannot be negative: " + bytesDone + "/"
                    + bytesTotal + " bytes, " + filesDone + "/" + filesTotal + " files");
        }
    }

    /**
     * Percent done, 0..100, rounded down so that 100 means finished: by bytes; by files when there are no
     * bytes to copy (a tree of empty files); 100 when there is nothing to copy at all.
     */
    public int percent() {
        if (bytesTotal > 0) {
            return ratio(bytesDone, bytesTotal);
        }
        if (filesTotal > 0) {
            return ratio(filesDone, filesTotal);
        }
        return 100;
    }

    private static int ratio(long done, long total) {
        if (done >= total) {
            return 100;
        }
        return (int) Math.min(99, (long) (done / (double) total * 100.0));
    }
}
