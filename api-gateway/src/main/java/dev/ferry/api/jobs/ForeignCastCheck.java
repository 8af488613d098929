package dev.ferry.api.jobs;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.Policy;
import dev.ferry.api.service.Visibility;
import dev.ferry.messages.RequestContext;
import java.util.Optional;

/**
 * May the context of a cast that Ferry's API did not send (a Manila/oslo client, or anyone else holding broker
 * credentials) ask for the job it asks for? The API's own rules decide, as its services apply them: the policy
 * rule of the action for the context's roles ({@link Policies}), and {@link Visibility} for the context's project
 * and {@code is_admin}: the backup must be the project's, and a share written or backed up must be the
 * project's too (another project's public share is not enough), unless the context is an admin's.
 */
final class ForeignCastCheck {
    private final Policies policies;

    ForeignCastCheck(Policies policies) {
        this.policies = policies;
    }

    /** Why a cast may not have its job: the user message to record (on what, for which project) and the reason. */
    record Forbidden(UserMessageAction action, String resourceType, String resourceId, String projectId,
                     String reason) {
    }

    /** {@code restore_backup} of {@code backup} into {@code target}: as {@code RestoreService} checks it. */
    Optional<Forbidden> restore(RequestContext caller, Backup backup, Share target) {
        String what = "restore backup " + backup.id() + " into share " + target.id();
        Optional<String> why = policy(Policy.BACKUP_RESTORE, caller)
                .or(() -> backupOf(caller, backup))
                .or(() -> writable(caller, target));
        return why.map(w -> new Forbidden(UserMessageAction.RESTORE_BACKUP, JobFailure.RESOURCE_SHARE, target.id(),
                target.projectId(), refusal(caller, what, w)));
    }

    /** {@code create_backup} of {@code share} into {@code backup}: as {@code BackupCreationService} checks it. */
    Optional<Forbidden> createBackup(RequestContext caller, Backup backup, Share share) {
        String what = "back up share " + share.id() + " into backup " + backup.id();
        Optional<String> why = policy(Policy.BACKUP_CREATE, caller)
                .or(() -> backupOf(caller, backup))
                .or(() -> writable(caller, share));
        return why.map(w -> new Forbidden(UserMessageAction.CREATE_BACKUP, JobFailure.RESOURCE_SHARE_BACKUP,
                backup.id(), backup.projectId(), refusal(caller, what, w)));
    }

    /** {@code delete_backup} of {@code backup}: as {@code BackupDeletionService} checks it. */
    Optional<Forbidden> deleteBackup(RequestContext caller, Backup backup) {
        String what = "delete backup " + backup.id();
        Optional<String> why = policy(Policy.BACKUP_DELETE, caller).or(() -> backupOf(caller, backup));
        return why.map(w -> new Forbidden(UserMessageAction.DELETE_BACKUP, JobFailure.RESOURCE_SHARE_BACKUP,
                backup.id(), backup.projectId(), refusal(caller, what, w)));
    }

    private Optional<String> policy(Policy policy, RequestContext caller) {
        return policies.allows(policy, caller) ? Optional.empty() : Optional.of("policy " + policy.rule() + " (\""
                + policies.check(policy) + "\") refuses its roles " + caller.roles());
    }

    private static Optional<String> backupOf(RequestContext caller, Backup backup) {
        return Visibility.canSee(caller, backup) ? Optional.empty()
                : Optional.of("backup " + backup.id() + " belongs to another project");
    }

    private static Optional<String> writable(RequestContext caller, Share share) {
        return Visibility.canSee(caller, share) && Visibility.canWrite(caller, share) ? Optional.empty()
                : Optional.of("share " + share.id() + " belongs to another project");
    }

    private static String refusal(RequestContext caller, String what, String why) {
        return "the cast's context (request " + caller.requestId() + ", project " + caller.projectId() + ", user "
                + caller.userId() + (caller.isAdmin() ? ", admin" : "") + ") may not " + what + ": " + why
                + "; only the owning project or an admin may. Nothing was done; the cast is parked";
    }
}
