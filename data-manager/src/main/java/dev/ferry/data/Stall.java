package dev.ferry.data;

import java.time.Duration;

/**
 * A job that made no progress for {@code quiet} (at least the stall time), last seen doing {@code where} (what
 * the driver said at its last {@code Cancellation.progressed}, e.g. {@code copying 'a/b'}).
 */
record Stall(Duration quiet, String where) {

    /** The failure the user sees: how long, where, the likely cause and what to do. */
    String reason() {
        return "The job made no progress for " + quiet.toSeconds() + " s: it was stuck while " + where
                + " (a dead mount or a hung NFS server?). The data node cancelled it; make sure the NFS servers of "
                + "the share and of the backup repository answer, then try again";
    }
}
