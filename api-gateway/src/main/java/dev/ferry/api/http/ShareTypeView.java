package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.ShareType;
import dev.ferry.api.service.ExtraSpecs;
import dev.ferry.messages.Json;
import java.util.Map;

/** Manila's share type view ({@code manila/api/views/types.py}). */
final class ShareTypeView {
    /** From 2.7 the publicity key loses its extension prefix. */
    static final ApiVersion CORE_IS_PUBLIC = new ApiVersion(2, 7);
    /** From 2.24 users see the inferred values of the optional specs a type does not set. */
    static final ApiVersion INFERRED_SPECS = new ApiVersion(2, 24);
    static final ApiVersion DESCRIPTION = new ApiVersion(2, 41);
    static final ApiVersion IS_DEFAULT = new ApiVersion(2, 46);

    private ShareTypeView() {
    }

    /**
     * One type: id, name, extra_specs and required_extra_specs (users see only the standard specs, and from 2.24
     * the inferred {@code false} of standard boolean specs the type leaves out), its publicity, and from 2.41 its
     * description, from 2.46 whether it is the default type.
     */
    static ObjectNode of(ShareType type, ApiVersion version, boolean admin, boolean isDefault) {
        ObjectNode view = Json.object();
        view.put("id", type.id());
        view.put("name", type.name());
        ObjectNode specs = view.putObject("extra_specs");
        for (Map.Entry<String, String> spec : type.extraSpecs().entrySet()) {
            if (admin || ExtraSpecs.tenantVisible(spec.getKey())) {
                specs.put(spec.getKey(), spec.getValue());
            }
        }
        if (!admin && version.atLeast(INFERRED_SPECS)) {
            for (String inferred : ExtraSpecs.INFERRED_FALSE) {
                if (!specs.has(inferred)) {
                    specs.put(inferred, false);
                }
            }
        }
        ObjectNode required = view.putObject("required_extra_specs");
        ExtraSpecs.required(type.extraSpecs()).forEach(required::put);
        view.put(version.atLeast(CORE_IS_PUBLIC) ? "share_type_access:is_public" : "os-share-type-access:is_public",
                type.isPublic());
        if (version.atLeast(DESCRIPTION)) {
            view.put("description", type.description());
        }
        if (version.atLeast(IS_DEFAULT)) {
            view.put("is_default", isDefault);
        }
        return view;
    }
}
