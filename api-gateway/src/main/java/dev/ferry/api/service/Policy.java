package dev.ferry.api.service;

import dev.ferry.messages.RequestContext;
import java.util.Set;

/**
 * Manila's default policies for what Ferry serves (manila-behaviour.md §1.4): role checks against the
 * caller's own project. Per-object scope is {@link Visibility}'s job.
 */
public enum Policy {
    SHARE_CREATE("share:create", Set.of("admin", "member")),
    SHARE_GET("share:get", Set.of("admin", "reader")),
    SHARE_GET_ALL("share:get_all", Set.of("admin", "reader")),
    SHARE_DELETE("share:delete", Set.of("admin", "member")),
    SHARE_EXTEND("share:extend", Set.of("admin", "member")),
    SHARE_SHRINK("share:shrink", Set.of("admin", "member")),
    SHARE_MANAGE("share:manage", Set.of("admin")),
    SHARE_UNMANAGE("share:unmanage", Set.of("admin")),
    SHARE_RESET_STATUS("share:reset_status", Set.of("admin")),
    BACKUP_CREATE("share_backup:create", Set.of("admin", "member")),
    BACKUP_GET("share_backup:get", Set.of("admin", "reader")),
    BACKUP_RESTORE("share_backup:restore", Set.of("admin", "member")),
    BACKUP_UPDATE("share_backup:update", Set.of("admin", "member")),
    BACKUP_DELETE("share_backup:delete", Set.of("admin", "member")),
    BACKUP_RESET_STATUS("share_backup:reset_status", Set.of("admin")),
    MESSAGE_GET("message:get", Set.of("admin", "reader")),
    MESSAGE_DELETE("message:delete", Set.of("admin", "member"));

    private final String rule;
    private final Set<String> roles;

    Policy(String rule, Set<String> roles) {
        this.rule = rule;
        this.roles = roles;
    }

    public String rule() {
        return rule;
    }

    public boolean allows(RequestContext caller) {
        return caller.isAdmin() || caller.roles().stream().anyMatch(roles::contains);
    }

    /** Passes, or answers 403 with webob's default text, as Manila does. */
    public void require(RequestContext caller) {
        if (!allows(caller)) {
            throw ApiError.forbidden("Access was denied to this resource.");
        }
    }
}
