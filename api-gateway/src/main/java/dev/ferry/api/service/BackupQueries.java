package dev.ferry.api.service;

import dev.ferry.api.db.BackupRepository;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Ids;
import dev.ferry.api.db.Page;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.messages.RequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Showing and listing backups, scoped to the caller's project as Manila's database layer does. */
public final class BackupQueries {
    /** Query keys every caller may filter on, and the column each maps to. */
    private static final Map<String, String> FILTERS = Map.of("name", "name", "description", "description",
            "status", "status", "share_id", "share_id", "topic", "topic");
    /** Query keys only admins may filter on (Manila's remove_invalid_options drops them for others). */
    private static final Map<String, String> ADMIN_FILTERS = Map.of("host", "host", "id", "id");
    private static final Map<String, String> LIKE_FILTERS = Map.of("name~", "name", "description~", "description");
    private final Database db;
    private final Repositories repos;
    private final Policies policies;

    public BackupQueries(Repositories repos, Policies policies) {
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
    }

    /**
     * What a backup list asks for: the query's filter values by Manila's key (unknown keys are ignored),
     * the sort key (a key of {@link BackupRepository#SORT_KEYS}), and paging.
     */
    public record ListQuery(Map<String, String> params, boolean allTenants, String sortKey, boolean ascending,
                            Integer limit, Integer offset, String marker) {
    }

    /** One page of backups; {@code more} when rows remain after it. */
    public record Listed(List<Backup> backups, boolean more) {
    }

    public Backup get(RequestContext caller, String id) {
        policies.require(Policy.BACKUP_GET, caller);
        return find(caller, id).orElseThrow(() -> ApiError.notFound("No backup exists with ID " + id + "."));
    }

    private Optional<Backup> find(RequestContext caller, String id) {
        if (!Ids.plausible(id)) {
            return Optional.empty();
        }
        return db.read(c -> repos.backups().find(c, id)).filter(b -> Visibility.canSee(caller, b));
    }

    public Listed list(RequestContext caller, ListQuery query) {
        policies.require(Policy.BACKUP_GET_ALL, caller);
        Map<String, String> equals = new LinkedHashMap<>();
        Map<String, String> contains = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : query.params().entrySet()) {
            String column = FILTERS.get(e.getKey());
            if (column == null && caller.isAdmin()) {
                column = ADMIN_FILTERS.get(e.getKey());
            }
            if (column != null) {
                equals.put(column, e.getValue());
            } else if (LIKE_FILTERS.containsKey(e.getKey())) {
                contains.put(LIKE_FILTERS.get(e.getKey()), e.getValue());
            }
        }
        String shareId = equals.get("share_id");
        if (shareId != null) {
            boolean visible = Ids.plausible(shareId) && db.read(c -> repos.shares().find(c, shareId))
                    .filter(s -> Visibility.canSee(caller, s)).isPresent();
            if (!visible) {
                throw ApiError.badRequest("No share exists with ID " + shareId + ".");
            }
        }
        Backup after = null;
        if (query.marker() != null) {
            after = find(caller, query.marker()).orElseThrow(() -> ApiError.badRequest("Marker " + query.marker()
                    + " not found: give the ID of the last backup of the previous page, or leave 'marker' out."));
        }
        String project = query.allTenants() && policies.allows(Policy.BACKUP_GET_ALL_PROJECT, caller) ? null
                : caller.projectId();
        Integer limit = query.limit();
        Page page = new Page(BackupRepository.SORT_KEYS.get(query.sortKey()), query.ascending(),
                Paged.fetchSize(limit), query.offset());
        BackupRepository.Filter filter = new BackupRepository.Filter(project, equals, contains, page, after);
        List<Backup> found = db.read(c -> repos.backups().list(c, filter));
        if (limit != null && found.size() > limit) {
            return new Listed(List.copyOf(found.subList(0, limit)), true);
        }
        return new Listed(found, false);
    }
}
