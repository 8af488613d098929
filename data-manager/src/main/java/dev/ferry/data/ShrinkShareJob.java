package dev.ferry.data;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ShareLocation;
import dev.ferry.messages.FailureDetail;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed shrink of a {@code subdir} share: measures the bytes the share uses (regular files, symbolic links
 * not followed) and succeeds only when they fit the smaller size asked for ({@code target.sizeGib} of the grant),
 * so the api-gateway records the new size. Nothing on the share is changed either way.
 */
public final class ShrinkShareJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(ShrinkShareJob.class);
    static final long GIB = 1L << 30;
    private final JobContext job;
    private final Cancellation cancellation = new Cancellation();

    public ShrinkShareJob(JobContext job) {
        this.job = job;
    }

    @Override
    public void run() {
        String shareId = job.grant().target() == null ? null : job.grant().target().id();
        String what = "shrink of share " + shareId;
        ShareLocation share = SubdirShareJobs.targetOrFail(job, what, LOG);
        if (share == null) {
            return;
        }
        long askedGib = job.grant().target().sizeGib();
        long used;
        try {
            used = job.shares().usedBytes(share, cancellation);
        } catch (DriverException e) {
            SubdirShareJobs.failed(job, what, e, LOG);
            return;
        } catch (RuntimeException e) {
            SubdirShareJobs.failedUnexpectedly(job, what, e, LOG);
            return;
        }
        long allowed = askedGib > Long.MAX_VALUE / GIB ? Long.MAX_VALUE : Math.max(0, askedGib) * GIB;
        if (used > allowed) {
            long smallestGib = (used + GIB - 1) / GIB;
            String reason = "Cannot shrink share " + shareId + " to " + askedGib + " GiB: it uses " + used
                    + " bytes (" + gib(used) + " GiB), more than the " + askedGib + " GiB (" + allowed
                    + " bytes) asked for. Choose a size of at least " + smallestGib + " GiB, or remove data first";
            LOG.warn("{}; the share keeps its size", reason);
            job.failed(FailureDetail.SHRINK_BELOW_USED_SPACE, reason, false);
            return;
        }
        LOG.info("share {} uses {} bytes ({} GiB), which fit the {} GiB asked for", shareId, used, gib(used),
                askedGib);
        job.succeeded();
    }

    /** GiB with two decimals, rounded up, so that a share above a size never reads as that size. */
    static String gib(long bytes) {
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(GIB), 2, RoundingMode.CEILING).toPlainString();
    }

    @Override
    public String activity() {
        return "shrinking share " + job.targetId();
    }

    @Override
    public FailureDetail stallDetail() {
        return FailureDetail.UNKNOWN_ERROR;
    }

    @Override
    public boolean mayHaveWrittenTarget() {
        return false;
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }
}
