package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.messages.Json;
import java.io.IOException;

/**
 * A job's restore selection in the admin job view: the object the restore asked for ({@code paths}, {@code overwrite},
 * {@code delete_extra}), or null for a whole restore and for other kinds.
 */
final class RestoreSelectionView {
    private RestoreSelectionView() {
    }

    static JsonNode of(String kept) {
        if (kept == null) {
            return NullNode.getInstance();
        }
        try {
            return Json.parse(kept);
        } catch (IOException e) {
            return TextNode.valueOf(kept); // shown as kept: the claim refuses it, saying why
        }
    }
}
