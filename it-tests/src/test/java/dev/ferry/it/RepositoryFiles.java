package dev.ferry.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's own files as the deploy tests read them: the tree under {@code deploy/}, YAML and JSON. */
final class RepositoryFiles {
    /** The repository's root (the it-tests run in {@code it-tests/}). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    private RepositoryFiles() {
    }

    /** Every regular file below {@code folder}, sorted. */
    static List<Path> filesUnder(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The repository's files under {@code deploy/}, without what running compose there leaves behind ({@code var/},
     * which git ignores).
     */
    static List<Path> deployFiles() {
        return filesUnder(DEPLOY).stream().filter(f -> !f.startsWith(DEPLOY.resolve("var"))).toList();
    }

    /** Every document of a YAML file (Kubernetes manifests hold several, separated by {@code ---}). */
    static List<JsonNode> yamlDocuments(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isMissingNode() && !document.isNull()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    static JsonNode yaml(Path file) throws IOException {
        List<JsonNode> documents = yamlDocuments(file);
        if (documents.size() != 1) {
            throw new AssertionError(relative(file) + " holds " + documents.size() + " YAML documents; expected one");
        }
        return documents.get(0);
    }

    /** Every YAML document of the files under {@code deploy/kubernetes}, with its file. */
    static List<Manifest> kubernetesManifests() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : filesUnder(DEPLOY.resolve("kubernetes"))) {
            for (JsonNode document : yamlDocuments(file)) {
                manifests.add(new Manifest(file, document));
            }
        }
        return manifests;
    }

    /** A path as a user finds it: relative to the repository's root. */
    static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
    }

    record Manifest(Path file, JsonNode document) {
        String kind() {
            return document.path("kind").asText();
        }

        String name() {
            return document.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + relative(file) + ")";
        }
    }
}
