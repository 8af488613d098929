package dev.ferry.api.service;

import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ShareTypeRepository;
import dev.ferry.api.db.ShareTypeRepository.Publicity;
import dev.ferry.api.db.ShareTypeRepository.Viewer;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.ShareType;
import dev.ferry.messages.RequestContext;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manila's share types ({@code manila/api/v2/share_types.py}, {@code share_types_extra_specs.py}): list, show, the
 * default type ({@code FERRY_DEFAULT_SHARE_TYPE}), create and delete, extra specs, and which projects may use a
 * private type. Writes are admin-only by Manila's policies; a private type is, for everyone else, as if it did not
 * exist unless their project was given access. Share creation asks {@link #forNewShare} which type a share gets.
 */
public final class ShareTypeService {
    private static final Logger LOG = LoggerFactory.getLogger(ShareTypeService.class);
    private static final Pattern UUID_LIKE = Pattern.compile(
            "(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");
    private static final int LONGEST = 255;
    private final Database db;
    private final ShareTypeRepository types;
    private final Policies policies;
    private final Clock clock;
    private final String defaultType;

    /** {@code defaultType}: FERRY_DEFAULT_SHARE_TYPE, a type's name or id (null: no default type). */
    public ShareTypeService(Database db, Clock clock, Policies policies, String defaultType) {
        this.db = db;
        this.clock = clock;
        this.types = new ShareTypeRepository(clock);
        this.policies = policies;
        this.defaultType = defaultType == null || defaultType.isBlank() ? null : defaultType.trim();
    }

    /** What {@code POST /v2/types} asks for; {@code extraSpecs} already read by {@link ExtraSpecs#read}. */
    public record CreateRequest(String name, String description, boolean isPublic, Map<String, String> extraSpecs) {
    }

    /** Whether a list shows public types (and the caller's private ones), private ones, or all (admins only). */
    public List<ShareType> list(RequestContext caller, Publicity publicity) {
        policies.require(Policy.SHARE_TYPE_INDEX, caller);
        Publicity asked = caller.isAdmin() ? publicity : Publicity.PUBLIC;
        return db.read(c -> types.list(c, viewer(caller), asked, caller.projectId()));
    }

    public ShareType get(RequestContext caller, String id) {
        policies.require(Policy.SHARE_TYPE_SHOW, caller);
        return db.read(c -> types.find(c, id, viewer(caller)))
                .orElseThrow(() -> ApiError.notFound("Share type not found."));
    }

    /** FERRY_DEFAULT_SHARE_TYPE's type, as the caller may see it; 404 when none is set, exists or is visible. */
    public ShareType defaultType(RequestContext caller) {
        policies.require(Policy.SHARE_TYPE_DEFAULT, caller);
        if (defaultType == null) {
            throw ApiError.notFound("Default share type not found: no default share type is set "
                    + "(FERRY_DEFAULT_SHARE_TYPE).");
        }
        return lookUp(defaultType, viewer(caller))
                .orElseThrow(() -> ApiError.notFound("Default share type not found."));
    }

    /** Whether {@code type} is the one FERRY_DEFAULT_SHARE_TYPE names (Manila's {@code is_default}, from 2.46). */
    public boolean isDefault(ShareType type) {
        return defaultType != null && (defaultType.equals(type.name()) || defaultType.equals(type.id()));
    }

    /**
     * The type a new share gets: the one {@code requested} names (its id or name; 404 when the caller cannot see
     * such a type), else the default type, else none (null). As in Manila, any caller's share may get the default
     * type, private or not.
     */
    public ShareType forNewShare(RequestContext caller, String requested) {
        if (requested != null && !requested.isEmpty()) {
            return lookUp(requested, viewer(caller)).orElseThrow(() -> ApiError.notFound("Share type not found."));
        }
        if (defaultType == null) {
            return null;
        }
        Optional<ShareType> found = lookUp(defaultType, Viewer.ADMIN);
        if (found.isEmpty()) {
            LOG.warn("the default share type '{}' (FERRY_DEFAULT_SHARE_TYPE) does not exist; the share gets no type. "
                    + "Create it (POST /v2/types) or change the setting.", defaultType);
        }
        return found.orElse(null);
    }

    public ShareType create(RequestContext caller, CreateRequest request) {
        policies.require(Policy.SHARE_TYPE_CREATE, caller);
        String name = request.name();
        String description = request.description();
        if (name == null || name.isEmpty() || name.length() > LONGEST
                || (description != null && description.length() > LONGEST)) {
            throw ApiError.badRequest("Type name or description is not valid: the name must have 1 to " + LONGEST
                    + " characters, the description at most " + LONGEST + ".");
        }
        ExtraSpecs.requireRequired(request.extraSpecs());
        LocalDateTime now = Timestamps.now(clock);
        ShareType type = new ShareType(UUID.randomUUID().toString(), name, description, request.isPublic(),
                request.extraSpecs(), now, now);
        try {
            db.inTransaction(c -> {
                if (types.nameTaken(c, name)) {
                    throw nameTaken(name);
                }
                types.insert(c, type);
                return null;
            });
        } catch (DataAccessException e) {
            if (e.uniqueViolation()) {
                throw nameTaken(name); // another request created a type of that name meanwhile
            }
            throw e;
        }
        LOG.info("share type {} ({}) created by {}: {}, extra specs {}", type.id(), name, caller.userId(),
                type.isPublic() ? "public" : "private", type.extraSpecs());
        return type;
    }

    private static ApiError nameTaken(String name) {
        return new ApiError(409, "Share Type " + name + " already exists.");
    }

    /** What {@code PUT /v2/types/{id}} (2.50+) changes; null leaves a field as it is, "" clears the description. */
    public record UpdateRequest(String name, String description, Boolean isPublic) {
    }

    /** A new name, description or publicity (Manila's share type update); 409 when the name is taken. */
    public ShareType update(RequestContext caller, String id, UpdateRequest request) {
        policies.require(Policy.SHARE_TYPE_UPDATE, caller);
        String name = request.name();
        if (name != null && name.isBlank()) {
            throw ApiError.badRequest("Share type name cannot be empty.");
        }
        if (name != null && name.length() > LONGEST) {
            throw ApiError.badRequest("Share type name cannot be greater than " + LONGEST + " characters in length.");
        }
        if (request.description() != null && request.description().length() > LONGEST) {
            throw ApiError.badRequest("Share type description cannot be greater than " + LONGEST
                    + " characters in length.");
        }
        if (name == null && request.description() == null && request.isPublic() == null) {
            throw ApiError.badRequest("Specify share type name, description, share_type_access:is_public or a "
                    + "combination thereof.");
        }
        ShareType updated;
        try {
            updated = db.inTransaction(c -> {
                ShareType type = types.find(c, id, Viewer.ADMIN)
                        .orElseThrow(() -> ApiError.notFound("Share type " + id + " could not be found."));
                if (name != null && !name.equals(type.name()) && types.nameTaken(c, name)) {
                    throw nameTaken(name);
                }
                boolean clear = "".equals(request.description());
                types.update(c, type.id(), name, clear ? null : request.description(), clear, request.isPublic());
                return types.find(c, type.id(), Viewer.ADMIN).orElseThrow();
            });
        } catch (DataAccessException e) {
            if (e.uniqueViolation()) {
                throw nameTaken(name); // another request gave a type that name meanwhile
            }
            throw e;
        }
        LOG.info("share type {} updated by {}: name {}, {}", updated.id(), caller.userId(), updated.name(),
                updated.isPublic() ? "public" : "private");
        return updated;
    }

    /** Deletes a type no share uses (400 otherwise, as Manila). */
    public void delete(RequestContext caller, String id) {
        policies.require(Policy.SHARE_TYPE_DELETE, caller);
        db.inTransaction(c -> {
            ShareType type = types.find(c, id, Viewer.ADMIN).orElseThrow(ApiError::noSuchResource);
            long shares = types.shareCount(c, type.id());
            if (shares > 0) {
                throw ApiError.badRequest("Target share type is still in use. " + shares + " share(s) have type "
                        + type.name() + "; delete them first.");
            }
            types.delete(c, type.id());
            return null;
        });
        LOG.info("share type {} deleted by {}", id, caller.userId());
    }

    public Map<String, String> extraSpecs(RequestContext caller, String id) {
        policies.require(Policy.EXTRA_SPEC_INDEX, caller);
        return existing(id).extraSpecs();
    }

    /** One spec's value; 404 when the type has no such spec. */
    public String extraSpec(RequestContext caller, String id, String key) {
        policies.require(Policy.EXTRA_SPEC_SHOW, caller);
        String value = existing(id).extraSpecs().get(key);
        if (value == null) {
            throw ApiError.noSuchResource();
        }
        return value;
    }

    /** Adds or replaces specs ({@code POST .../extra_specs}); returns them as stored. */
    public Map<String, String> setExtraSpecs(RequestContext caller, String id, Map<String, String> specs) {
        policies.require(Policy.EXTRA_SPEC_CREATE, caller);
        return putSpecs(id, specs);
    }

    /** Sets one spec ({@code PUT .../extra_specs/{key}}). */
    public Map<String, String> updateExtraSpec(RequestContext caller, String id, Map<String, String> spec) {
        policies.require(Policy.EXTRA_SPEC_UPDATE, caller);
        return putSpecs(id, spec);
    }

    private Map<String, String> putSpecs(String id, Map<String, String> specs) {
        ShareType type = existing(id);
        db.inTransaction(c -> {
            types.putSpecs(c, type.id(), specs);
            return null;
        });
        LOG.info("share type {} extra specs set: {}", type.id(), specs);
        return new LinkedHashMap<>(specs);
    }

    /**
     * Removes a spec; driver_handles_share_servers cannot be removed (403), nor, below 2.24,
     * snapshot_support; 404 when the type has no such spec.
     */
    public void deleteExtraSpec(RequestContext caller, String id, String key, boolean snapshotSupportRequired) {
        policies.require(Policy.EXTRA_SPEC_DELETE, caller);
        ShareType type = existing(id);
        if (ExtraSpecs.DHSS.equals(key) || (snapshotSupportRequired && ExtraSpecs.SNAPSHOT_SUPPORT.equals(key))) {
            throw ApiError.forbidden("Extra spec '" + key + "' can't be deleted.");
        }
        boolean removed = db.inTransaction(c -> types.deleteSpec(c, type.id(), key));
        if (!removed) {
            throw ApiError.notFound("Share Type " + type.id() + " has no extra specs with key " + key + ".");
        }
        LOG.info("share type {} extra spec {} deleted", type.id(), key);
    }

    /** The projects that may use a private type; 404 for a public type, which has no such list. */
    public List<String> projects(RequestContext caller, String id) {
        policies.require(Policy.SHARE_TYPE_LIST_PROJECT_ACCESS, caller);
        ShareType type = db.read(c -> types.find(c, id, Viewer.ADMIN))
                .orElseThrow(() -> ApiError.notFound("Share type " + id + " not found."));
        if (type.isPublic()) {
            throw ApiError.notFound("Access list not available for public share types.");
        }
        return db.read(c -> types.projects(c, type.id()));
    }

    public void addProject(RequestContext caller, String id, String project) {
        policies.require(Policy.SHARE_TYPE_ADD_PROJECT_ACCESS, caller);
        ShareType type = privateType(id, project);
        if (!db.inTransaction(c -> types.addProject(c, type.id(), project))) {
            throw new ApiError(409, "Share type access for " + type.id() + " / " + project
                    + " combination already exists.");
        }
        LOG.info("project {} may use share type {}", project, type.id());
    }

    public void removeProject(RequestContext caller, String id, String project) {
        policies.require(Policy.SHARE_TYPE_REMOVE_PROJECT_ACCESS, caller);
        ShareType type = privateType(id, project);
        if (!db.inTransaction(c -> types.removeProject(c, type.id(), project))) {
            throw ApiError.notFound("Share type access not found for " + type.id() + " / " + project
                    + " combination.");
        }
        LOG.info("project {} may no longer use share type {}", project, type.id());
    }

    private ShareType privateType(String id, String project) {
        if (project == null || !UUID_LIKE.matcher(project).matches()) {
            throw ApiError.badRequest("Bad project format: project is not in proper format (" + project + "): give "
                    + "the project's id as Keystone shows it (a UUID).");
        }
        ShareType type = db.read(c -> types.find(c, id, Viewer.ADMIN))
                .orElseThrow(() -> ApiError.notFound("Share type " + id + " could not be found."));
        if (type.isPublic()) {
            throw new ApiError(409, "Type access modification is not applicable to public share type.");
        }
        return type;
    }

    /** The type as an admin sees it (extra spec routes are admin-only): 404 when there is none. */
    private ShareType existing(String id) {
        return db.read(c -> types.find(c, id, Viewer.ADMIN))
                .orElseThrow(() -> ApiError.notFound("Share type " + id + " could not be found."));
    }

    /** By id when {@code nameOrId} looks like one, else by name (Manila's share create does the same). */
    private Optional<ShareType> lookUp(String nameOrId, Viewer viewer) {
        return db.read(c -> {
            if (UUID_LIKE.matcher(nameOrId).matches()) {
                Optional<ShareType> byId = types.find(c, nameOrId.toLowerCase(Locale.ROOT), viewer);
                if (byId.isPresent()) {
                    return byId;
                }
            }
            return types.findByName(c, nameOrId, viewer);
        });
    }

    private static Viewer viewer(RequestContext caller) {
        return caller.isAdmin() ? Viewer.ADMIN : new Viewer(caller.projectId());
    }
}
