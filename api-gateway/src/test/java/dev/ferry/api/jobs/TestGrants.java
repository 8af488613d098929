package dev.ferry.api.jobs;

import dev.ferry.api.db.JobAttemptRepository.SecretHashes;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.Optional;

/**
 * For tests that play the node holding a job (and are not about grant secrets): its transitions and lease calls
 * present {@link #SECRET}, which is made the secret of the job's attempt at the quoted epoch (an attempt is opened
 * for a job a test inserted as running without one). Transitions at an epoch the job never had stay unsigned.
 */
public final class TestGrants {
    /** The secret of every grant a test holds this way. */
    public static final String SECRET = "secret-of-a-test-holder-0123456789abcdefghij";

    private TestGrants() {
    }

    public static Transition signed(Repositories repos, Transition transition) {
        return hold(repos, transition.jobId(), transition.epoch()) ? transition.withSecret(SECRET) : transition;
    }

    public static StateRpc.Hold signed(Repositories repos, StateRpc.Hold hold) {
        return hold(repos, hold.jobId(), hold.epoch())
                ? new StateRpc.Hold(hold.jobId(), hold.epoch(), hold.node(), SECRET) : hold;
    }

    private static boolean hold(Repositories repos, String jobId, long epoch) {
        return repos.database().inTransaction(c -> {
            Optional<SecretHashes> stored = repos.attempts().secretHashes(c, jobId, epoch);
            if (stored.isEmpty()) {
                Optional<Job> job = repos.jobs().find(c, jobId);
                if (job.isEmpty() || job.get().epoch() != epoch || job.get().status() != JobStatus.RUNNING) {
                    return false;
                }
                repos.attempts().open(c, jobId, epoch, job.get().node());
            }
            repos.attempts().keepSecretHashes(c, jobId, epoch, GrantSecrets.hash(SECRET),
                    stored.map(SecretHashes::claimTokenHash).orElse(null));
            return true;
        });
    }
}
