-- What a restore asked for beyond Manila's whole restore (the object form of the restore action, from 2.91), as
-- JSON text: {"paths": [...], "overwrite": "always" | "if-changed" | "never", "delete_extra": false}. NULL is a
-- whole restore, as every restore before this column was; the claim's grant carries it to the data node.
ALTER TABLE jobs ADD COLUMN restore_selection TEXT;
