package dev.ferry.api.service;

import dev.ferry.api.db.BackupRepository;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.messages.RequestContext;
import java.util.List;

/** Showing and listing backups, scoped to the caller's project as Manila's database layer does. */
public final class BackupQueries {
    private final Database db;
    private final Repositories repos;

    public BackupQueries(Repositories repos) {
        this.repos = repos;
        this.db = repos.database();
    }

    /** What a backup list asks for. */
    public record ListQuery(boolean allTenants, String shareId, String status, String name, boolean ascending,
                            Integer limit, Integer offset) {
    }

    public Backup get(RequestContext caller, String id) {
        Policy.BACKUP_GET.require(caller);
        return db.read(c -> repos.backups().find(c, id)).filter(b -> Visibility.canSee(caller, b))
                .orElseThrow(() -> ApiError.notFound("No backup exists with ID " + id + "."));
    }

    public List<Backup> list(RequestContext caller, ListQuery query) {
        Policy.BACKUP_GET.require(caller);
        if (query.shareId() != null) {
            boolean visible = db.read(c -> repos.shares().find(c, query.shareId()))
                    .filter(s -> Visibility.canSee(caller, s)).isPresent();
            if (!visible) {
                throw ApiError.badRequest("No share exists with ID " + query.shareId() + ".");
            }
        }
        String project = caller.isAdmin() && query.allTenants() ? null : caller.projectId();
        BackupRepository.Filter filter = new BackupRepository.Filter(project, query.shareId(), query.status(),
                query.name(), query.ascending(), query.limit(), query.offset());
        return db.read(c -> repos.backups().list(c, filter));
    }
}
