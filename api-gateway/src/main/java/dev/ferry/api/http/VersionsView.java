package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.messages.Json;

/** Manila's versions document: a deprecated v1.0 and the CURRENT v2.0 with min and max microversions. */
public final class VersionsView {
    private static final String UPDATED = "2015-08-27T11:33:21Z";

    private VersionsView() {
    }

    public static ObjectNode all(String baseUrl) {
        ObjectNode doc = Json.object();
        ArrayNode versions = doc.putArray("versions");
        versions.add(entry("v1.0", "DEPRECATED", "", "", baseUrl + "/v1/"));
        versions.add(v2(baseUrl));
        return doc;
    }

    public static ObjectNode onlyV2(String baseUrl) {
        ObjectNode doc = Json.object();
        doc.putArray("versions").add(v2(baseUrl));
        return doc;
    }

    private static ObjectNode v2(String baseUrl) {
        return entry("v2.0", "CURRENT", ApiVersion.MAX.toString(), ApiVersion.MIN.toString(), baseUrl + "/v2/");
    }

    private static ObjectNode entry(String id, String status, String version, String minVersion, String self) {
        ObjectNode entry = Json.object();
        entry.put("id", id);
        entry.put("status", status);
        entry.put("version", version);
        entry.put("min_version", minVersion);
        entry.put("updated", UPDATED);
        ArrayNode links = entry.putArray("links");
        links.addObject().put("rel", "describedby").put("type", "text/html").put("href", "http://docs.openstack.org/");
        links.addObject().put("rel", "self").put("href", self);
        entry.putArray("media-types").addObject().put("base", "application/json")
                .put("type", "application/vnd.openstack.share+json;version=1");
        return entry;
    }
}
