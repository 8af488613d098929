package dev.ferry.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A RabbitMQ cluster of the test's own: {@link OwnBrokerNode}s on their own loopback ports and folders, sharing
 * one Erlang cookie, the second and later joined to the first with {@code rabbitmqctl join_cluster}. Never touches
 * the machine's node on 5672. {@link #close} stops every node by its PID.
 */
final class RabbitCluster implements AutoCloseable {
    private final List<OwnBrokerNode> nodes;

    private RabbitCluster(List<OwnBrokerNode> nodes) {
        this.nodes = nodes;
    }

    static RabbitCluster start(Path dir, int size) throws Exception {
        String prefix = "ferry-it-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Path home = dir.resolve("home");
        List<OwnBrokerNode> nodes = new ArrayList<>();
        RabbitCluster cluster = new RabbitCluster(nodes);
        try {
            // the first node makes the shared Erlang cookie; the others start side by side
            nodes.add(OwnBrokerNode.start(dir.resolve("node-1"), home, prefix + 1));
            List<java.util.concurrent.CompletableFuture<OwnBrokerNode>> starting = new ArrayList<>();
            for (int i = 2; i <= size; i++) {
                int n = i;
                starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return OwnBrokerNode.start(dir.resolve("node-" + n), home, prefix + n);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            Exception failed = null;
            for (var node : starting) {
                try {
                    nodes.add(node.join());
                } catch (RuntimeException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
            OwnBrokerNode first = nodes.get(0);
            for (OwnBrokerNode node : nodes.subList(1, nodes.size())) {
                node.rabbitmqctl("stop_app");
                node.rabbitmqctl("join_cluster", first.nodeName());
                node.rabbitmqctl("start_app");
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    List<OwnBrokerNode> nodes() {
        return nodes;
    }

    /** Every node's URI (guest, vhost /), comma-separated: what FERRY_AMQP_URI takes for a cluster. */
    String amqpUris() {
        return nodes.stream().map(OwnBrokerNode::amqpUri).collect(Collectors.joining(","));
    }

    /** The node that leads quorum queue {@code queue} (vhost /), asked of any running node. */
    OwnBrokerNode leaderOf(String queue) throws IOException, InterruptedException {
        String out = nodes.get(0).rabbitmqctl("list_queues", "--silent", "name", "leader");
        for (String line : out.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(queue)) {
                return nodes.stream().filter(n -> n.nodeName().equals(fields[1])).findFirst()
                        .orElseThrow(() -> new AssertionError(queue + " is led by " + fields[1] + ", not ours"));
            }
        }
        throw new AssertionError("no quorum queue " + queue + " with a leader: " + out);
    }

    /** The members of quorum queue {@code queue}, as {@code rabbitmq-queues quorum_status} lists them. */
    String quorumStatus(String queue) throws IOException, InterruptedException {
        return nodes.get(0).tool("rabbitmq-queues", "quorum_status", queue);
    }

    /** Copies every node's log folder into {@code target} (node-1, node-2, ...), for a failure's investigation. */
    void keepLogs(Path target) throws IOException {
        for (int i = 0; i < nodes.size(); i++) {
            Path from = nodes.get(i).logDir();
            Path to = target.resolve("node-" + (i + 1));
            if (java.nio.file.Files.isDirectory(from)) {
                try (var walk = java.nio.file.Files.walk(from)) {
                    for (Path path : walk.toList()) {
                        Path copy = to.resolve(from.relativize(path).toString());
                        if (java.nio.file.Files.isDirectory(path)) {
                            java.nio.file.Files.createDirectories(copy);
                        } else {
                            java.nio.file.Files.copy(path, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
    }
}
