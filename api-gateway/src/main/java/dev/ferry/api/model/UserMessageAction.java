package dev.ferry.api.model;

/**
 * The action a user message is about. 002, 007, 009 and 028 are Manila's ({@code message_field.Action}
 * CREATE, DELETE, SHRINK, RESTORE_BACKUP); Manila records no message for a failed backup creation (900) or
 * deletion (901), so Ferry's own ids (900 and up) name them.
 */
public enum UserMessageAction {
    CREATE("002", "create"),
    DELETE("007", "delete"),
    SHRINK("009", "shrink"),
    RESTORE_BACKUP("028", "restore share backup"),
    CREATE_BACKUP("900", "create share backup"),
    /** Ferry's own: Manila records no message when a backup deletion fails (its status says error_deleting). */
    DELETE_BACKUP("901", "delete share backup"),
    /** Ferry's own: the {@code verify} action's outcome, sound (INFO) or damaged (ERROR). */
    VERIFY_BACKUP("902", "verify share backup");

    private final String id;
    private final String text;

    UserMessageAction(String id, String text) {
        this.id = id;
        this.text = text;
    }

    public String id() {
        return id;
    }

    public String text() {
        return text;
    }

    /** The action's text, or "unknown action" for an id this version does not know. */
    public static String textOf(String id) {
        for (UserMessageAction action : values()) {
            if (action.id.equals(id)) {
                return action.text;
            }
        }
        return "unknown action";
    }
}
