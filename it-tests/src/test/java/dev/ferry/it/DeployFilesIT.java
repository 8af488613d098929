package dev.ferry.it;

import static dev.ferry.it.RepositoryFiles.DEPLOY;
import static dev.ferry.it.RepositoryFiles.ROOT;
import static dev.ferry.it.RepositoryFiles.relative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.RepositoryFiles.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * The files under {@code deploy/}, the root {@code Dockerfile} and README, read as the tools that use them would:
 * every file parses, every {@code FERRY_*} setting they name is one Ferry reads, the image is built from the jar
 * the build makes and runs {@code ferry}, and compose, Kubernetes and systemd wire what they need (health checks on
 * the management port, distinct node names, the Secrets they read). Needs no services, nor Docker, Kubernetes or
 * systemd: these are static checks of what those tools would read.
 */
class DeployFilesIT {
    private static final Pattern SETTING = Pattern.compile("(?<![A-Za-z0-9_])FERRY_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern UNIT_LINE = Pattern.compile("[A-Za-z][A-Za-z0-9]*=.*");
    private static final Pattern ENV_LINE = Pattern.compile("[A-Z_][A-Z0-9_]*=.*");
    private static final Pattern BIND = Pattern.compile("(.*):(\\d+)");

    @Test
    void everyFileUnderDeployParses() throws Exception {
        List<String> unchecked = new ArrayList<>();
        int checked = 0;
        for (Path file : RepositoryFiles.deployFiles()) {
            String name = file.getFileName().toString();
            String folder = file.getParent().getFileName().toString();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                assertFalse(RepositoryFiles.yamlDocuments(file).isEmpty(), relative(file) + " holds no YAML document");
                RepositoryFiles.yamlDocuments(file).forEach(d -> assertTrue(d.isObject(),
                        () -> relative(file) + " holds a YAML document that is not a mapping: " + d));
            } else if (name.endsWith(".json")) {
                assertTrue(RepositoryFiles.JSON.readTree(file.toFile()).isObject(), relative(file) + " is no object");
            } else if (name.endsWith(".service")) {
                unit(file);
            } else if (name.endsWith(".env")) {
                envFile(file);
            } else if (folder.equals("sysusers.d") && name.endsWith(".conf")) {
                configLines(file, Set.of("u", "g", "m", "r"), 2);
            } else if (folder.equals("tmpfiles.d") && name.endsWith(".conf")) {
                configLines(file, Set.of("d", "D", "e", "f", "F", "w", "z", "Z", "L", "x", "X", "r", "R", "v", "q", "Q"),
                        2);
            } else if (name.endsWith(".md")) {
                continue;
            } else if (file.equals(DEPLOY.resolve("image/ferry"))) {
                String launcher = RepositoryFiles.read(file);
                assertTrue(launcher.startsWith("#!/bin/sh\n") && Files.isExecutable(file),
                        "deploy/image/ferry is an executable shell script");
            } else {
                unchecked.add(relative(file));
                continue;
            }
            checked++;
        }
        assertEquals(List.of(), unchecked, "files under deploy/ that no check here reads: add a check for their kind");
        assertTrue(checked > 10, "checked " + checked + " files");
    }

    @Test
    void everyFerrySettingNamedInDeployReadmeAndDockerfileIsOneTheCodeReads() throws Exception {
        Map<String, Set<String>> named = new TreeMap<>();
        List<Path> documents = new ArrayList<>(RepositoryFiles.deployFiles());
        documents.add(ROOT.resolve("Dockerfile"));
        documents.add(ROOT.resolve("README.md"));
        for (Path file : documents) {
            Matcher m = SETTING.matcher(RepositoryFiles.read(file));
            while (m.find()) {
                named.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(relative(file));
            }
        }
        String mainSources = code(mainSourceFiles());
        String itSources = code(RepositoryFiles.filesUnder(ROOT.resolve("it-tests/src/test/java")));
        Map<String, Set<String>> unknown = new TreeMap<>();
        named.forEach((setting, files) -> {
            String code = setting.startsWith("FERRY_IT_") ? itSources : mainSources;
            if (!Pattern.compile("(?<![A-Za-z0-9_])" + setting + "(?![A-Za-z0-9_])").matcher(code).find()) {
                unknown.put(setting, files);
            }
        });
        assertEquals(Map.of(), unknown, "FERRY_* names that no main source (nor the ./ferry launcher; FERRY_IT_*: "
                + "the it-tests) reads, with the files naming them");
        assertTrue(named.containsKey("FERRY_AMQP_URI") && named.size() > 30, "found " + named.keySet());
    }

    /** Every file below a module's {@code src/main}, and the {@code ./ferry} launcher. */
    private static List<Path> mainSourceFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main"))).toList()) {
                files.addAll(RepositoryFiles.filesUnder(module.resolve("src/main")));
            }
        }
        files.add(ROOT.resolve("ferry"));
        return files;
    }

    private static String code(List<Path> files) {
        StringBuilder all = new StringBuilder();
        for (Path file : files) {
            try {
                all.append(Files.readString(file)).append('\n');
            } catch (IOException e) {
                // binary resources (none name a setting)
            }
        }
        return all.toString();
    }

    @Test
    void theImageIsBuiltFromTheJarTheBuildMakesAndRunsFerry() throws Exception {
        List<String> instructions = dockerInstructions(ROOT.resolve("Dockerfile"));
        String expectedJar = "cli/target/" + finalName(ROOT.resolve("cli/pom.xml")) + ".jar";
        assertEquals("cli/target/ferry.jar", expectedJar, "cli's pom builds ferry.jar (finalName ferry)");

        String buildStage = null;
        String buildWorkdir = "/";
        String stage = null;
        String workdir = "/";
        String jarInImage = null;
        Map<String, String> copiedFiles = new HashMap<>();
        String entrypoint = null;
        String user = "root";
        Set<String> exposed = new HashSet<>();
        for (String instruction : instructions) {
            String[] words = instruction.split("\\s+");
            switch (words[0].toUpperCase()) {
                case "FROM" -> {
                    stage = words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : words[1];
                    workdir = "/";
                    user = "root";
                }
                case "WORKDIR" -> workdir = Path.of(workdir).resolve(words[1]).normalize().toString();
                case "RUN" -> {
                    if (instruction.contains("mvn ") && instruction.contains("-pl cli") && instruction.contains("package")) {
                        buildStage = stage;
                        buildWorkdir = workdir;
                    }
                }
                case "COPY" -> {
                    List<String> args = new ArrayList<>(List.of(words).subList(1, words.length));
                    String from = null;
                    while (args.get(0).startsWith("--")) {
                        String flag = args.remove(0);
                        if (flag.startsWith("--from=")) {
                            from = flag.substring("--from=".length());
                        }
                    }
                    String destination = args.get(args.size() - 1);
                    for (String source : args.subList(0, args.size() - 1)) {
                        if (from == null) {
                            assertTrue(Files.exists(ROOT.resolve(source)), () -> "the Dockerfile copies " + source
                                    + ", which is not in the repository");
                            copiedFiles.put(destination, source);
                        } else if (from.equals(buildStage) && source.endsWith(".jar")) {
                            assertEquals(expectedJar, Path.of(buildWorkdir).relativize(Path.of(buildWorkdir)
                                    .resolve(source)).toString(), "the jar the image takes from the build stage");
                            jarInImage = destination;
                        }
                    }
                }
                case "ENTRYPOINT" -> entrypoint = instruction.substring("ENTRYPOINT".length()).trim();
                case "USER" -> user = words[1];
                case "EXPOSE" -> exposed.addAll(List.of(words).subList(1, words.length));
                default -> {
                    // LABEL, ENV, CMD, ...
                }
            }
        }
        assertTrue(buildStage != null, "a stage runs mvn ... -pl cli ... package");
        assertTrue(jarInImage != null, "the last stage copies " + expectedJar + " from stage " + buildStage);
        assertEquals("[\"ferry\"]", entrypoint.replace(" ", ""), "the image's entry point is ferry");
        String launcher = copiedFiles.get("/usr/local/bin/ferry");
        assertTrue(launcher != null, "a ferry launcher is copied to /usr/local/bin (on PATH): " + copiedFiles);
        assertTrue(RepositoryFiles.read(ROOT.resolve(launcher)).contains("-jar " + jarInImage),
                launcher + " runs the jar the image holds, " + jarInImage);
        assertFalse(user.equals("root") || user.equals("0"), "the image runs as a user other than root: " + user);
        assertEquals(Set.of("8786", "8787", "8788"), exposed, "API and management ports");
        assertTrue(Files.isRegularFile(ROOT.resolve(".dockerignore")), ".dockerignore keeps target/ out of builds");
    }

    /** A Dockerfile's instructions, continuation lines joined, comments and blank lines dropped. */
    private static List<String> dockerInstructions(Path dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : RepositoryFiles.read(dockerfile).split("\n")) {
            String trimmed = line.trim();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                instructions.add(current.append(trimmed).toString().trim());
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static String finalName(Path pom) throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        var names = document.getElementsByTagName("finalName");
        assertEquals(1, names.getLength(), pom + " names its jar once");
        return names.item(0).getTextContent().trim();
    }

    @Test
    void composeStartsAWholeSystemWithHealthChecksAndTwoDistinctLocalDataNodes() throws Exception {
        Path composeFile = DEPLOY.resolve("compose.yaml");
        JsonNode services = RepositoryFiles.yaml(composeFile).path("services");
        Set<String> oneShots = new HashSet<>();
        services.fields().forEachRemaining(s -> s.getValue().path("depends_on").fields().forEachRemaining(d -> {
            if (d.getValue().path("condition").asText().equals("service_completed_successfully")) {
                oneShots.add(d.getKey());
            }
        }));
        Map<String, JsonNode> dataNodes = new LinkedHashMap<>();
        JsonNode api = null;
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            JsonNode build = service.path("build");
            if (!build.isMissingNode()) {
                Path context = DEPLOY.resolve(build.path("context").asText()).normalize();
                assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText("Dockerfile"))),
                        name + " builds from a Dockerfile that exists");
            }
            depends(name, service, services);
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./") && !source.startsWith("./var/")) {
                    assertTrue(Files.exists(DEPLOY.resolve(source)), name + " mounts " + source + ", which is missing");
                }
            }
            if (oneShots.contains(name)) {
                assertEquals("no", service.path("restart").asText(), name + " runs once");
                continue;
            }
            assertTrue(Set.of("always", "unless-stopped", "on-failure").contains(service.path("restart").asText()),
                    name + " has a restart policy");
            assertTrue(service.path("healthcheck").path("test").size() > 1, name + " has a health check");
            String command = service.path("command").path(0).asText();
            if (command.equals("api") || command.equals("data-manager")) {
                JsonNode env = service.path("environment");
                Matcher bind = BIND.matcher(env.path("FERRY_MANAGEMENT_BIND").asText());
                assertTrue(bind.matches() && bind.group(1).equals("0.0.0.0"),
                        name + " serves its management port on all of the container's addresses");
                String check = service.path("healthcheck").path("test").toString();
                assertTrue(check.contains(":" + bind.group(2) + "/healthz"),
                        name + "'s health check asks /healthz on its management port " + bind.group(2) + ": " + check);
                if (command.equals("api")) {
                    api = service;
                } else {
                    dataNodes.put(name, service);
                }
            }
        }
        assertTrue(api != null, "compose runs an api-gateway");
        JsonNode apiEnv = api.path("environment");
        assertEquals("tokens", apiEnv.path("FERRY_AUTH").asText());
        String tokens = apiEnv.path("FERRY_TOKENS_FILE").asText();
        assertTrue(mountedAt(api, tokens), "the tokens file " + tokens + " is in a volume of the api-gateway");
        assertFalse(oneShots.isEmpty(), "a one-shot service makes the first token before the api-gateway starts");

        assertTrue(dataNodes.size() >= 2, "two data nodes: " + dataNodes.keySet());
        Set<String> hosts = new HashSet<>();
        for (var node : dataNodes.entrySet()) {
            JsonNode env = node.getValue().path("environment");
            assertTrue(hosts.add(env.path("FERRY_HOST").asText()), node.getKey() + " has its own FERRY_HOST: " + hosts);
            assertFalse(env.path("FERRY_HOST").asText().isBlank(), node.getKey() + " sets FERRY_HOST");
            for (String template : List.of("FERRY_BACKUP_MOUNT_TEMPLATE", "FERRY_BACKUP_UNMOUNT_TEMPLATE",
                    "FERRY_SHARE_MOUNT_TEMPLATE", "FERRY_SHARE_UNMOUNT_TEMPLATE")) {
                assertEquals("", env.path(template).asText("unset"), node.getKey() + ": local mode, " + template + " empty");
            }
            assertTrue(mountedAt(node.getValue(), env.path("FERRY_BACKUP_EXPORT").asText()),
                    node.getKey() + "'s backup repository is a bind-mounted folder");
            assertTrue(mountedAt(node.getValue(), apiEnv.path("FERRY_SHARE_BASE_EXPORT").asText()),
                    node.getKey() + " sees the folder the api-gateway creates shares in");
            assertEquals("root", node.getValue().path("user").asText(), node.getKey() + " runs as root");
        }
        assertEquals("", apiEnv.path("FERRY_SHARE_MOUNT_TEMPLATE").asText("unset"),
                "the api-gateway knows exports are local folders");
    }

    private static void depends(String name, JsonNode service, JsonNode services) {
        assertFalse(service.path("depends_on").isArray(), name + ": depends_on names conditions, not just services");
        service.path("depends_on").fields().forEachRemaining(d -> {
            String condition = d.getValue().path("condition").asText();
            JsonNode other = services.path(d.getKey());
            assertFalse(other.isMissingNode(), name + " depends on " + d.getKey() + ", which compose does not define");
            if (condition.equals("service_healthy")) {
                assertFalse(other.path("healthcheck").isMissingNode(),
                        name + " waits for " + d.getKey() + " to be healthy, which has no health check");
            } else {
                assertEquals("service_completed_successfully", condition, name + " -> " + d.getKey());
            }
        });
    }

    private static boolean mountedAt(JsonNode service, String path) {
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts.length > 1 && (path.equals(parts[1]) || path.startsWith(parts[1] + "/"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void kubernetesDeploymentsProbeTheManagementPortAndReadSecretsTheExampleDefines() throws Exception {
        List<Manifest> manifests = RepositoryFiles.kubernetesManifests();
        Map<String, Set<String>> secrets = new HashMap<>();
        Set<String> deployments = new HashSet<>();
        Set<String> triggerAuthentications = new HashSet<>();
        for (Manifest m : manifests) {
            assertFalse(m.kind().isEmpty() || m.name().isEmpty() && !m.kind().equals("Kustomization"),
                    () -> "a manifest without kind or name in " + m);
            switch (m.kind()) {
                case "Secret" -> {
                    assertTrue(m.file().getFileName().toString().contains("example"), m + ": real Secrets are not kept");
                    Set<String> keys = new HashSet<>();
                    m.document().path("stringData").fieldNames().forEachRemaining(keys::add);
                    m.document().path("data").fieldNames().forEachRemaining(keys::add);
                    secrets.put(m.name(), keys);
                }
                case "Deployment" -> deployments.add(m.name());
                case "TriggerAuthentication" -> triggerAuthentications.add(m.name());
                default -> {
                    // Namespace, Service, ScaledObject, Kustomization
                }
            }
        }
        List<String> missing = new ArrayList<>();
        String scaled = null;
        String dataNodeDeployment = null;
        for (Manifest m : manifests) {
            if (m.kind().equals("Deployment")) {
                JsonNode pod = m.document().path("spec").path("template").path("spec");
                Map<String, String> secretVolumes = new HashMap<>();
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.has("secret")) {
                        String secret = volume.path("secret").path("secretName").asText();
                        secretVolumes.put(volume.path("name").asText(), secret);
                        if (!secrets.containsKey(secret)) {
                            missing.add(m + ": volume secret " + secret);
                        }
                    }
                }
                for (JsonNode container : pod.path("containers")) {
                    container(m, container, secrets, secretVolumes, missing);
                    if (container.path("args").path(0).asText().equals("data-manager")) {
                        dataNodeDeployment = m.name();
                    }
                }
            } else if (m.kind().equals("ScaledObject")) {
                assertEquals("keda.sh/v1alpha1", m.document().path("apiVersion").asText());
                scaled = m.document().path("spec").path("scaleTargetRef").path("name").asText();
                JsonNode trigger = m.document().path("spec").path("triggers").path(0);
                assertEquals("rabbitmq", trigger.path("type").asText(), m + " scales on RabbitMQ");
                assertEquals("manila-data", trigger.path("metadata").path("queueName").asText());
                assertEquals("QueueLength", trigger.path("metadata").path("mode").asText());
                assertTrue(triggerAuthentications.contains(trigger.path("authenticationRef").path("name").asText()),
                        m + " authenticates with a TriggerAuthentication defined here");
            } else if (m.kind().equals("TriggerAuthentication")) {
                for (JsonNode ref : m.document().path("spec").path("secretTargetRef")) {
                    if (!secrets.getOrDefault(ref.path("name").asText(), Set.of()).contains(ref.path("key").asText())) {
                        missing.add(m + ": " + ref.path("name").asText() + "/" + ref.path("key").asText());
                    }
                }
            } else if (m.kind().equals("Kustomization")) {
                for (JsonNode resource : m.document().path("resources")) {
                    assertTrue(Files.isRegularFile(m.file().resolveSibling(resource.asText())), m + " lists " + resource);
                }
            }
        }
        assertEquals(List.of(), missing, "Secrets (and keys) read but not defined in the example Secrets");
        assertTrue(dataNodeDeployment != null && dataNodeDeployment.equals(scaled),
                "the KEDA ScaledObject scales the data nodes' Deployment " + dataNodeDeployment + ", not " + scaled);
        assertTrue(deployments.size() >= 2 && secrets.containsKey("ferry-tokens"), deployments + " " + secrets);
    }

    private static void container(Manifest m, JsonNode container, Map<String, Set<String>> secrets,
                                  Map<String, String> secretVolumes, List<String> missing) {
        String where = m + " container " + container.path("name").asText();
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : container.path("env")) {
            env.put(variable.path("name").asText(), variable.path("value").asText());
            JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode() && !secrets.getOrDefault(ref.path("name").asText(), Set.of())
                    .contains(ref.path("key").asText())) {
                missing.add(where + ": " + ref.path("name").asText() + "/" + ref.path("key").asText());
            }
        }
        // a *_FILE setting under a Secret's mount names one of that Secret's keys
        env.forEach((name, value) -> {
            if (!name.endsWith("_FILE")) {
                return;
            }
            boolean found = false;
            for (JsonNode mount : container.path("volumeMounts")) {
                String secret = secretVolumes.get(mount.path("name").asText());
                String folder = mount.path("mountPath").asText() + "/";
                if (secret != null && value.startsWith(folder)) {
                    found = true;
                    if (!secrets.getOrDefault(secret, Set.of()).contains(value.substring(folder.length()))) {
                        missing.add(where + ": " + name + "=" + value + " (Secret " + secret + ")");
                    }
                }
            }
            if (!found) {
                missing.add(where + ": " + name + "=" + value + " is in no Secret's volume");
            }
        });
        Matcher bind = BIND.matcher(env.getOrDefault("FERRY_MANAGEMENT_BIND", ""));
        assertTrue(bind.matches() && bind.group(1).equals("0.0.0.0"), where + " sets FERRY_MANAGEMENT_BIND=0.0.0.0:port");
        int port = Integer.parseInt(bind.group(2));
        assertProbe(where, container, "livenessProbe", "/healthz", port);
        assertProbe(where, container, "readinessProbe", "/readyz", port);
        JsonNode resources = container.path("resources");
        assertTrue(resources.path("requests").has("cpu") && resources.path("requests").has("memory")
                && resources.path("limits").has("memory"), where + " has CPU and memory requests and a memory limit");
    }

    private static void assertProbe(String where, JsonNode container, String probe, String path, int port) {
        JsonNode get = container.path(probe).path("httpGet");
        assertEquals(path, get.path("path").asText(), where + " " + probe);
        JsonNode probed = get.path("port");
        int probedPort = probed.isInt() ? probed.asInt() : -1;
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(probed.asText())) {
                probedPort = declared.path("containerPort").asInt();
            }
        }
        assertEquals(port, probedPort, where + " " + probe + " asks the management port");
    }

    @Test
    void systemdUnitsNameTheirUserEnvironmentFileAndTheJar() throws Exception {
        Path systemd = DEPLOY.resolve("systemd");
        int units = 0;
        for (Path file : RepositoryFiles.filesUnder(systemd)) {
            if (!file.toString().endsWith(".service")) {
                continue;
            }
            units++;
            Map<String, Map<String, List<String>>> unit = unit(file);
            Map<String, List<String>> service = unit.getOrDefault("Service", Map.of());
            String name = relative(file);
            assertTrue(unit.containsKey("Unit") && unit.containsKey("Install"), name + " has [Unit] and [Install]");
            assertEquals(1, service.getOrDefault("User", List.of()).size(), name + " names its user");
            assertTrue(service.getOrDefault("ExecStart", List.of("")).get(0).contains("-jar /opt/ferry/ferry.jar"),
                    name + " runs the jar");
            for (String envFile : service.getOrDefault("EnvironmentFile", List.of())) {
                Path example = systemd.resolve(Path.of(envFile.replaceFirst("^-", "")).getFileName());
                assertTrue(Files.isRegularFile(example), name + " reads " + envFile + ": deploy/systemd has an example");
            }
            String user = service.get("User").get(0);
            if (!user.equals("root")) {
                String sysusers = RepositoryFiles.read(systemd.resolve("sysusers.d/ferry.conf"));
                assertTrue(sysusers.lines().anyMatch(l -> l.matches("u\\s+" + user + "\\s.*")),
                        name + " runs as " + user + ", which sysusers.d/ferry.conf creates");
                assertFalse(service.getOrDefault("StateDirectory", List.of()).isEmpty(),
                        name + " gets a directory its user may write");
            }
        }
        assertEquals(2, units, "the api-gateway's and the data node's units");
    }

    /** A systemd unit as sections of key=value lines (a key may repeat); fails naming the first line that is not. */
    private static Map<String, Map<String, List<String>>> unit(Path file) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        String[] lines = RepositoryFiles.read(file).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            while (line.endsWith("\\") && i + 1 < lines.length) {
                line = line.substring(0, line.length() - 1) + " " + lines[++i].trim();
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int number = i + 1;
            if (line.startsWith("[") && line.endsWith("]")) {
                section = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
            } else {
                String current = line;
                assertTrue(section != null && UNIT_LINE.matcher(line).matches(),
                        () -> relative(file) + ":" + number + " is neither [Section] nor Key=value in a section: " + current);
                int equals = line.indexOf('=');
                section.computeIfAbsent(line.substring(0, equals), k -> new ArrayList<>()).add(line.substring(equals + 1));
            }
        }
        return sections;
    }

    private static void envFile(Path file) {
        String[] lines = RepositoryFiles.read(file).split("\n");
        int settings = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            assertTrue(ENV_LINE.matcher(line).matches(), () -> relative(file) + ":" + number + " is not KEY=value: " + line);
            settings++;
        }
        assertTrue(settings > 0, relative(file) + " sets something");
    }

    /** sysusers.d / tmpfiles.d: a known type and at least {@code fields} whitespace-separated fields per line. */
    private static void configLines(Path file, Set<String> types, int fields) {
        String[] lines = RepositoryFiles.read(file).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            int number = i + 1;
            assertTrue(types.contains(words[0]) && words.length >= fields,
                    () -> relative(file) + ":" + number + " is not a line of this kind: " + line);
        }
    }
}
