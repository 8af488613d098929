package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The jar the production processes run ({@code cli/target/ferry.jar}) carries no embedded development broker:
 * no Qpid Broker-J, BouncyCastle or Guava, not even in a multi-release folder or a service file; the
 * development jar ({@code dev/target/ferry-dev.jar}) carries them and runs {@code ferry dev}. Needs no services.
 */
class ReleaseJarIT {
    private static final List<String> BROKER_PACKAGES = List.of("org/apache/qpid/", "org/bouncycastle/",
            "com/google/common/");

    @Test
    void theProductionJarCarriesNoEmbeddedBrokerNorItsDependencies() throws Exception {
        List<String> entries = entries(FerryProcess.JAR);
        List<String> broker = entries.stream().filter(ReleaseJarIT::isBrokerClass).toList();
        assertEquals(List.of(), broker.subList(0, Math.min(20, broker.size())),
                () -> broker.size() + " entries of the embedded broker in " + FerryProcess.JAR);
        assertTrue(entries.contains("dev/ferry/cli/Ferry.class"), "the production jar still has the ferry command");
        assertTrue(entries.contains("dev/ferry/api/ApiGateway.class"), "and the api-gateway");
        assertTrue(entries.contains("dev/ferry/data/DataNode.class"), "and the data node");
        assertTrue(entries.contains("com/rabbitmq/client/ConnectionFactory.class"), "and the AMQP client");
        try (JarFile jar = new JarFile(FerryProcess.JAR.toFile())) {
            for (JarEntry service : Collections.list(jar.entries())) {
                if (service.getName().startsWith("META-INF/services/") && !service.isDirectory()) {
                    String names = read(jar, service);
                    assertTrue(!names.contains("org.apache.qpid") && !names.contains("org.bouncycastle"),
                            () -> service.getName() + " names a broker class: " + names);
                }
            }
        }
    }

    @Test
    void theDevelopmentJarCarriesTheBrokerAndTheProductionJarPointsToIt() throws Exception {
        List<String> entries = entries(FerryProcess.DEV_JAR);
        assertTrue(entries.contains("org/apache/qpid/server/SystemLauncher.class"), "Qpid Broker-J is in the dev jar");
        assertTrue(entries.contains("dev/ferry/dev/DevCommand.class"));
        assertTrue(entries.contains("dev/ferry/dev/embedded-broker.json"));
        assertTrue(entries.contains("dev/ferry/cli/Ferry.class"), "and every other ferry command");

        Run devInProductionJar = java(FerryProcess.JAR, "dev");
        assertNotEquals(0, devInProductionJar.exitCode(), devInProductionJar::output);
        assertTrue(devInProductionJar.output().contains("ferry dev is not in this jar")
                && devInProductionJar.output().contains("Run ./ferry dev"), devInProductionJar::output);

        Run devHelp = java(FerryProcess.DEV_JAR, "dev", "--help");
        assertEquals(0, devHelp.exitCode(), devHelp::output);
        assertTrue(devHelp.output().contains("Runs the whole system in one process"), devHelp::output);
        Run apiHelp = java(FerryProcess.DEV_JAR, "api", "--help");
        assertEquals(0, apiHelp.exitCode(), apiHelp::output);
    }

    /** A class or resource of the broker, also inside {@code META-INF/versions/<n>/}. */
    private static boolean isBrokerClass(String entry) {
        String name = entry.startsWith("META-INF/versions/") ? entry.replaceFirst("^META-INF/versions/\\d+/", "")
                : entry;
        return BROKER_PACKAGES.stream().anyMatch(name::startsWith);
    }

    private static List<String> entries(Path jarPath) throws IOException {
        assertTrue(Files.isRegularFile(jarPath), jarPath + " was not built");
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            Collections.list(jar.entries()).forEach(e -> names.add(e.getName()));
        }
        return names;
    }

    private static String read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run java(Path jar, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        argv.addAll(List.of(args));
        Files.createDirectories(FerryProcess.LOGS);
        Path log = FerryProcess.LOGS.resolve("release-jar-" + jar.getFileName() + "-" + String.join("-", args) + ".log");
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(jar + " " + String.join(" ", args) + " still running after 60 s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
