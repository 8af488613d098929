package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API reference, docs/api/openapi.yaml, against the routes the api-gateway actually serves: every served
 * route (method and path template) is documented, and every documented one is served. The {@code /v2/{project_id}/}
 * twin of each {@code /v2/} route is documented once, by {@code x-ferry-project-scoped: true} on the {@code /v2/}
 * path; both directions are checked for it too.
 */
class OpenApiRoutesTest extends InProcessGateway {
    private static final Path REFERENCE = Path.of("..", "docs", "api", "openapi.yaml");
    private static final String SCOPED = "x-ferry-project-scoped";
    private static final String PROJECT_PREFIX = "/v2/{project_id}/";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");
    private static final Pattern PARAM = Pattern.compile("\\{[^}/]*}|<[^>/]*>");

    private JsonNode reference;

    @BeforeAll
    void readReference() throws IOException {
        assertTrue(Files.isRegularFile(REFERENCE), "The API reference " + REFERENCE.toAbsolutePath().normalize()
                + " is missing; the test runs from the api-gateway module folder.");
        reference = new ObjectMapper(new YAMLFactory()).readTree(REFERENCE.toFile());
    }

    @Test
    void isAnOpenApi3DocumentWithEveryOperationAnswered() {
        assertTrue(reference.path("openapi").asText().startsWith("3.0."), "openapi: 3.0.x expected, got "
                + reference.path("openapi"));
        assertTrue(reference.path("info").hasNonNull("title") && reference.path("info").hasNonNull("version"),
                "info needs a title and a version");
        List<String> problems = new ArrayList<>();
        paths().forEach((path, item) -> operations(item).forEach((method, operation) -> {
            if (!operation.path("responses").isObject() || operation.path("responses").isEmpty()) {
                problems.add(method + " " + path + " documents no responses");
            }
        }));
        assertEquals(List.of(), problems);
    }

    @Test
    void hasNoKeysSplitOffByUnquotedText() {
        List<String> broken = new ArrayList<>();
        collectSplitKeys(reference, "", broken);
        assertEquals(List.of(), broken, "keys with no value that look like text: an unquoted comma or colon in a "
                + "{...} flow mapping split them off; quote that value");
    }

    @Test
    void everyReferenceResolves() {
        List<String> unresolved = new ArrayList<>();
        collectRefs(reference, unresolved);
        assertEquals(List.of(), unresolved, "$refs that point nowhere in openapi.yaml");
    }

    @Test
    void everyPathParameterIsDeclared() {
        List<String> undeclared = new ArrayList<>();
        paths().forEach((path, item) -> operations(item).forEach((method, operation) -> {
            Set<String> declared = new TreeSet<>();
            for (JsonNode source : List.of(item.path("parameters"), operation.path("parameters"))) {
                for (JsonNode parameter : source) {
                    JsonNode resolved = resolve(parameter);
                    if ("path".equals(resolved.path("in").asText())) {
                        declared.add(resolved.path("name").asText());
                    }
                }
            }
            Matcher m = Pattern.compile("\\{([^}/]+)}").matcher(path);
            while (m.find()) {
                if (!declared.contains(m.group(1))) {
                    undeclared.add(method + " " + path + ": {" + m.group(1) + "}");
                }
            }
        }));
        assertEquals(List.of(), undeclared, "path parameters without an 'in: path' parameter");
    }

    @Test
    void documentsExactlyTheRoutesTheGatewayServes() {
        Set<String> served = new TreeSet<>();
        Set<String> servedScoped = new TreeSet<>();
        for (String route : gateway.routes()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            if (path.startsWith(PROJECT_PREFIX)) {
                servedScoped.add(normalise(method + " /v2/" + path.substring(PROJECT_PREFIX.length())));
            } else {
                served.add(normalise(route));
            }
        }
        assertTrue(served.size() > 20, "the gateway's route listing looks empty: " + served);

        Set<String> documented = new TreeSet<>();
        Set<String> documentedScoped = new TreeSet<>();
        paths().forEach((path, item) -> {
            boolean scoped = item.path(SCOPED).asBoolean(false);
            operations(item).keySet().forEach(method -> {
                String route = normalise(method.toUpperCase() + " " + path);
                documented.add(route);
                if (scoped) {
                    documentedScoped.add(route);
                }
            });
        });

        List<String> problems = new ArrayList<>();
        difference(served, documented).forEach(r -> problems.add(r + ": served but not in docs/api/openapi.yaml"));
        difference(documented, served).forEach(r -> problems.add(r + ": in docs/api/openapi.yaml but not served"));
        difference(servedScoped, documentedScoped).forEach(r -> problems.add(r + ": also served under "
                + "/v2/{project_id}/, but its /v2/ path lacks " + SCOPED + ": true"));
        difference(documentedScoped, servedScoped).forEach(r -> problems.add(r + ": marked " + SCOPED
                + " but not served under /v2/{project_id}/"));
        assertEquals(List.of(), problems);
    }

    private Map<String, JsonNode> paths() {
        Map<String, JsonNode> paths = new LinkedHashMap<>();
        reference.path("paths").fields().forEachRemaining(e -> paths.put(e.getKey(), e.getValue()));
        return paths;
    }

    private static Map<String, JsonNode> operations(JsonNode pathItem) {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        pathItem.fields().forEachRemaining(e -> {
            if (METHODS.contains(e.getKey())) {
                operations.put(e.getKey(), e.getValue());
            }
        });
        return operations;
    }

    /** "GET /v2/shares/{share_id}" and "GET /v2/shares/<id>" both become "GET /v2/shares/{}". */
    private static String normalise(String route) {
        return PARAM.matcher(route).replaceAll("{}");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new LinkedHashSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? pointer(node.get("$ref").asText()) : node;
    }

    private JsonNode pointer(String ref) {
        return ref.startsWith("#/") ? reference.at(ref.substring(1)) : MissingNode.getInstance();
    }

    private static void collectSplitKeys(JsonNode node, String at, List<String> broken) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isNull() && e.getKey().contains(" ")) {
                    broken.add(at + "/" + e.getKey());
                }
                collectSplitKeys(e.getValue(), at + "/" + e.getKey(), broken);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectSplitKeys(node.get(i), at + "/" + i, broken);
            }
        }
    }

    private void collectRefs(JsonNode node, List<String> unresolved) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (ref.isTextual() ? pointer(ref.asText()).isMissingNode() : true)) {
                unresolved.add(String.valueOf(ref));
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectRefs(it.next(), unresolved);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, unresolved));
        }
    }
}
