package dev.ferry.data;

import dev.ferry.drivers.NfsDriverConfig;
import dev.ferry.messages.amqp.AmqpSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A data node's settings, read once from {@code FERRY_*} variables.
 *
 * @param drainTimeout  how long running jobs may go on after SIGTERM before they are cancelled and released
 * @param jobStall      how long a job may go without progress (no entry walked, created, deleted or measured, no
 *                      bytes moved) before it is failed and cancelled ({@code FERRY_JOB_STALL_SECONDS})
 * @param maxDeliveries how many times a cast may go back to {@code manila-data} before it is parked
 */
public record DataNodeConfig(AmqpSettings amqp, String host, int concurrency, Duration claimTimeout,
                             Duration progressInterval, Duration drainTimeout, Duration jobStall, int maxDeliveries,
                             NfsDriverConfig driver) {
    public static DataNodeConfig fromEnv(Map<String, String> env) {
        String export = env.get("FERRY_BACKUP_EXPORT");
        if (export == null || export.isBlank()) {
            throw new IllegalArgumentException("FERRY_BACKUP_EXPORT is not set: a data node needs the backup "
                    + "repository, as host:/path (NFS) or a local folder (with empty mount templates)");
        }
        NfsDriverConfig driver = new NfsDriverConfig(
                export,
                env.getOrDefault("FERRY_BACKUP_MOUNT_TEMPLATE", NfsDriverConfig.MANILA_MOUNT_TEMPLATE),
                env.getOrDefault("FERRY_BACKUP_UNMOUNT_TEMPLATE", NfsDriverConfig.MANILA_UNMOUNT_TEMPLATE),
                env.getOrDefault("FERRY_BACKUP_MOUNT_OPTIONS", NfsDriverConfig.SAFE_MOUNT_OPTIONS),
                env.getOrDefault("FERRY_BACKUP_MOUNT_PROTO", NfsDriverConfig.DEFAULT_PROTO),
                env.getOrDefault("FERRY_SHARE_MOUNT_TEMPLATE", NfsDriverConfig.MANILA_MOUNT_TEMPLATE),
                env.getOrDefault("FERRY_SHARE_UNMOUNT_TEMPLATE", NfsDriverConfig.MANILA_UNMOUNT_TEMPLATE),
                env.getOrDefault("FERRY_SHARE_MOUNT_OPTIONS", NfsDriverConfig.SAFE_MOUNT_OPTIONS),
                Path.of(env.getOrDefault("FERRY_MOUNT_ROOT", "/var/lib/ferry/mnt")),
                bool(env, "FERRY_BACKUP_RESTORE_TO_TARGET", true),
                list(env.getOrDefault("FERRY_BACKUP_IGNORE_FILES", "lost+found")),
                positive(env, "FERRY_COPY_THREADS", 4),
                bool(env, "FERRY_COPY_VERIFY", false),
                notNegative(env, "FERRY_COPY_MAX_BYTES_PER_SECOND", 0));
        return new DataNodeConfig(AmqpSettings.fromEnv(env), host(env), positive(env, "FERRY_DATA_CONCURRENCY", 2),
                Duration.ofSeconds(positive(env, "FERRY_CLAIM_TIMEOUT_SECONDS", 30)),
                Duration.ofMillis(positive(env, "FERRY_PROGRESS_INTERVAL_MS", 2000)),
                Duration.ofSeconds(positive(env, "FERRY_DRAIN_SECONDS", 60)),
                Duration.ofSeconds(positive(env, "FERRY_JOB_STALL_SECONDS", 300)),
                positive(env, "FERRY_MAX_DELIVERIES", 5), driver);
    }

    static String host(Map<String, String> env) {
        String host = env.get("FERRY_HOST");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "ferry-data";
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " is '" + value + "'; use true or false");
        };
    }

    private static long notNegative(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + value + "'; use a whole number of bytes, 0 for no limit");
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + value + "'; use a whole number above 0");
    }
}
