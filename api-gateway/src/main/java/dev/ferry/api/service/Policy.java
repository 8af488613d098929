package dev.ferry.api.service;

import java.util.Arrays;
import java.util.Optional;

/**
 * The policy rules Ferry checks, with Manila's defaults (manila-behaviour.md §1.4) written as check
 * strings. Manila scopes them to the caller's own project, so in effect they are role checks;
 * per-object scope is {@link Visibility}'s job. {@link Policies} evaluates them, with the operator's
 * overrides from FERRY_POLICY_FILE.
 */
public enum Policy {
    SHARE_CREATE("share:create", Policy.ADMIN_OR_MEMBER),
    /** {@code is_public: true} on create and manage (Manila: admin only since Train). */
    SHARE_CREATE_PUBLIC("share:create_public_share", Policy.ADMIN),
    SHARE_GET("share:get", Policy.ADMIN_OR_READER),
    SHARE_GET_ALL("share:get_all", Policy.ADMIN_OR_READER),
    SHARE_DELETE("share:delete", Policy.ADMIN_OR_MEMBER),
    SHARE_EXTEND("share:extend", Policy.ADMIN_OR_MEMBER),
    SHARE_SHRINK("share:shrink", Policy.ADMIN_OR_MEMBER),
    SHARE_MANAGE("share:manage", Policy.ADMIN),
    SHARE_UNMANAGE("share:unmanage", Policy.ADMIN),
    SHARE_RESET_STATUS("share:reset_status", Policy.ADMIN),
    BACKUP_CREATE("share_backup:create", Policy.ADMIN_OR_MEMBER),
    BACKUP_GET("share_backup:get", Policy.ADMIN_OR_READER),
    BACKUP_GET_ALL("share_backup:get_all", Policy.ADMIN_OR_READER),
    /** Honours {@code all_tenants} / {@code all_projects} in backup lists. */
    BACKUP_GET_ALL_PROJECT("share_backup:get_all_project", Policy.ADMIN),
    BACKUP_RESTORE("share_backup:restore", Policy.ADMIN_OR_MEMBER),
    BACKUP_UPDATE("share_backup:update", Policy.ADMIN_OR_MEMBER),
    BACKUP_DELETE("share_backup:delete", Policy.ADMIN_OR_MEMBER),
    BACKUP_RESET_STATUS("share_backup:reset_status", Policy.ADMIN),
    /** Ferry's own: the {@code cancel} action (the backup's project or an admin, as {@link Visibility} scopes it). */
    BACKUP_CANCEL("share_backup:cancel", Policy.ADMIN_OR_MEMBER),
    /** Ferry's own: the {@code verify} action. */
    BACKUP_VERIFY("share_backup:verify", Policy.ADMIN_OR_MEMBER),
    /** Ferry's own: {@code GET /v2/share-backups/{id}/files}. */
    BACKUP_BROWSE("share_backup:browse", Policy.ADMIN_OR_READER),
    MESSAGE_GET("message:get", Policy.ADMIN_OR_READER),
    MESSAGE_DELETE("message:delete", Policy.ADMIN_OR_MEMBER),
    SHARE_TYPE_CREATE("share_type:create", Policy.ADMIN),
    SHARE_TYPE_SHOW("share_type:show", Policy.ADMIN_OR_READER),
    SHARE_TYPE_INDEX("share_type:index", Policy.ADMIN_OR_READER),
    SHARE_TYPE_DEFAULT("share_type:default", Policy.ADMIN_OR_READER),
    SHARE_TYPE_DELETE("share_type:delete", Policy.ADMIN),
    SHARE_TYPE_LIST_PROJECT_ACCESS("share_type:list_project_access", Policy.ADMIN),
    SHARE_TYPE_ADD_PROJECT_ACCESS("share_type:add_project_access", Policy.ADMIN),
    SHARE_TYPE_REMOVE_PROJECT_ACCESS("share_type:remove_project_access", Policy.ADMIN),
    EXTRA_SPEC_CREATE("share_types_extra_spec:create", Policy.ADMIN),
    EXTRA_SPEC_SHOW("share_types_extra_spec:show", Policy.ADMIN),
    EXTRA_SPEC_INDEX("share_types_extra_spec:index", Policy.ADMIN),
    EXTRA_SPEC_UPDATE("share_types_extra_spec:update", Policy.ADMIN),
    EXTRA_SPEC_DELETE("share_types_extra_spec:delete", Policy.ADMIN),
    /** {@code GET /v2/services}: the data nodes. */
    SERVICE_INDEX("service:index", Policy.ADMIN);

    private static final String ADMIN = "role:admin";
    private static final String ADMIN_OR_MEMBER = "role:admin or role:member";
    private static final String ADMIN_OR_READER = "role:admin or role:reader";

    private final String rule;
    private final String defaultCheck;

    Policy(String rule, String defaultCheck) {
        this.rule = rule;
        this.defaultCheck = defaultCheck;
    }

    /** Manila's rule name, e.g. {@code share_backup:create}: the key in a policy file. */
    public String rule() {
        return rule;
    }

    /** Manila's default, as a check string in the syntax {@link PolicyCheck} reads. */
    public String defaultCheck() {
        return defaultCheck;
    }

    public static Optional<Policy> byRule(String rule) {
        return Arrays.stream(values()).filter(p -> p.rule.equals(rule)).findFirst();
    }
}
