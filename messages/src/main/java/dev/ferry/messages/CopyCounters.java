package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one attempt of a copying job did, as its success or failure transition reports it and the admin API shows
 * it on the attempt: files and content bytes written, files (and their bytes) left alone because the target already
 * held them identical (a resumed attempt, {@code overwrite} {@code if-changed} or {@code never}), repository files
 * not written because they were damaged or missing, and extended attributes or ACLs the target refused.
 * On the wire (the {@code counters} object of a {@code job_transition}): {@code files_copied}, {@code files_skipped},
 * {@code bytes_copied}, {@code bytes_skipped}, {@code files_damaged}, {@code metadata_dropped}.
 */
public record CopyCounters(long filesCopied, long filesSkipped, long bytesCopied, long bytesSkipped,
                           long filesDamaged, long metadataDropped) {

    public CopyCounters {
        if (filesCopied < 0 || filesSkipped < 0 || bytesCopied < 0 || bytesSkipped < 0 || filesDamaged < 0
                || metadataDropped < 0) {
            throw new IllegalArgumentException("copy counters cannot be negative: " + filesCopied + ", "
                    + filesSkipped + ", " + bytesCopied + ", " + bytesSkipped + ", " + filesDamaged + ", "
                    + metadataDropped);
        }
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("files_copied", filesCopied);
        node.put("files_skipped", filesSkipped);
        node.put("bytes_copied", bytesCopied);
        node.put("bytes_skipped", bytesSkipped);
        node.put("files_damaged", filesDamaged);
        node.put("metadata_dropped", metadataDropped);
        return node;
    }

    /** The counters of a {@code counters} object; null when there is none (a node that sends none). */
    public static CopyCounters fromJson(JsonNode node) throws UndecodableMessageException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            throw new UndecodableMessageException("'counters' must be an object, not " + node.getNodeType());
        }
        try {
            return new CopyCounters(count(node, "files_copied"), count(node, "files_skipped"),
                    count(node, "bytes_copied"), count(node, "bytes_skipped"), count(node, "files_damaged"),
                    count(node, "metadata_dropped"));
        } catch (IllegalArgumentException e) {
            throw new UndecodableMessageException(e.getMessage());
        }
    }

    private static long count(JsonNode node, String field) throws UndecodableMessageException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new UndecodableMessageException("counter '" + field + "' must be a whole number, not " + value);
        }
        return value.asLong();
    }
}
