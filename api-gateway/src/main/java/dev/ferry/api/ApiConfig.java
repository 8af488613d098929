package dev.ferry.api;

import dev.ferry.api.db.Database;
import dev.ferry.api.http.Authenticator;
import dev.ferry.api.http.HttpServerSettings;
import dev.ferry.api.http.KeystoneProxyAuthenticator;
import dev.ferry.api.http.NoAuthAuthenticator;
import dev.ferry.api.http.PublicUrl;
import dev.ferry.api.http.TokensAuthenticator;
import dev.ferry.api.http.TrustedProxies;
import dev.ferry.api.jobs.JobRequeue;
import dev.ferry.api.keystone.KeystoneClient;
import dev.ferry.api.keystone.KeystoneSettings;
import dev.ferry.api.keystone.KeystoneTokenAuthenticator;
import dev.ferry.api.keystone.TokenCache;
import dev.ferry.api.service.ExportPath;
import dev.ferry.api.service.Policies;
import dev.ferry.messages.SecretFile;
import dev.ferry.messages.amqp.AmqpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The api-gateway's settings. {@code amqp} null runs the HTTP API and the database only: no outbox
 * relay and no RPC servers (casts stay in the outbox), which is what HTTP tests use.
 * {@code leaseSeconds} is how long a claim holds a job without a renewal ({@code FERRY_JOB_LEASE_SECONDS});
 * {@code reaperIntervalSeconds} how often expired leases are looked for ({@code FERRY_REAPER_INTERVAL_SECONDS});
 * {@code limits} the share and backup quotas, message lifetime and job retention ({@link ApiLimits}; null means the
 * defaults).
 * {@code auth} is FERRY_AUTH ({@code noauth}, {@code keystone}, {@code keystone-proxy} or {@code tokens});
 * {@code trustedProxies} the peers whose identity headers keystone-proxy mode believes (null:
 * {@link TrustedProxies#DEFAULT});
 * {@code tokensFile} the tokens mode's FERRY_TOKENS_FILE; {@code policyFile} FERRY_POLICY_FILE (null: Manila's
 * default policy); {@code shareBaseExport} the export under which the {@code subdir} backend creates shares
 * ({@code FERRY_SHARE_BASE_EXPORT}; null: {@code POST /v2/shares} is refused, only managed shares exist);
 * {@code backupExport} the data nodes' backup repository ({@code FERRY_BACKUP_EXPORT}; null: unknown here), which
 * {@code manage} refuses to register as a share, like the base export; {@code localExports} whether export paths
 * are folders on this host (local mode: {@code FERRY_SHARE_MOUNT_TEMPLATE} set and empty, as {@code ferry dev}
 * sets it), so that {@code manage} refuses a folder that does not exist; {@code jobMaxAttempts} how many attempts
 * of a job may end with an expired lease before the reaper fails it ({@code FERRY_JOB_MAX_ATTEMPTS});
 * {@code publicUrl} the URL clients reach the API at, which links are built from ({@code FERRY_PUBLIC_URL}; null:
 * the bind address, see {@link #links(String)});
 * {@code httpServer} the HTTP server's timeouts, minimum request data rate, threads and TLS files
 * ({@link HttpServerSettings}; null means the defaults, plain HTTP);
 * {@code defaultShareType} the share type a share gets when its create request names none
 * ({@code FERRY_DEFAULT_SHARE_TYPE}, a type's name or id; null: none);
 * {@code keystone} how keystone mode reaches Keystone ({@code FERRY_KEYSTONE_*}; required by that mode only).
 */
public record ApiConfig(String httpHost, int httpPort, String dbUrl, String dbUser, String dbPassword,
                        AmqpSettings amqp, String auth, String host, int leaseSeconds, int reaperIntervalSeconds,
                        ApiLimits limits, TrustedProxies trustedProxies, Path tokensFile, Path policyFile,
                        String shareBaseExport, String backupExport, boolean localExports, int jobMaxAttempts,
                        String publicUrl, HttpServerSettings httpServer, String defaultShareType,
                        KeystoneSettings keystone) {
    public static final String DEFAULT_BIND = "127.0.0.1:8786";
    public static final int DEFAULT_LEASE_SECONDS = 30;
    public static final int DEFAULT_JOB_MAX_ATTEMPTS = JobRequeue.DEFAULT_MAX_LEASE_EXPIRIES;
    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./var/ferry-db;DB_CLOSE_ON_EXIT=FALSE";
    public static final String NOAUTH = "noauth";
    public static final String KEYSTONE = "keystone";
    public static final String KEYSTONE_PROXY = "keystone-proxy";
    public static final String TOKENS = "tokens";
    public static final List<String> AUTH_MODES = List.of(NOAUTH, KEYSTONE, KEYSTONE_PROXY, TOKENS);

    public ApiConfig {
        if (httpHost == null || httpHost.isBlank()) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND has no host; expected host:port, e.g. " + DEFAULT_BIND);
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND port " + httpPort + " is out of range; expected 0-65535");
        }
        if (dbUrl == null || !(dbUrl.startsWith("jdbc:postgresql:") || dbUrl.startsWith("jdbc:h2:"))) {
            throw new IllegalArgumentException("FERRY_DB_URL '" + Database.redacted(dbUrl) + "' is not supported; expected "
                    + "jdbc:postgresql://host:5432/database or an H2 URL such as " + DEFAULT_DB_URL);
        }
        if (!AUTH_MODES.contains(auth)) {
            throw new IllegalArgumentException("FERRY_AUTH '" + auth + "' is not a known mode; set it to noauth "
                    + "(tokens <user>:<project>), keystone (Keystone tokens, validated with FERRY_KEYSTONE_URL), "
                    + "keystone-proxy (identity headers from a trusted proxy) or tokens (hashed static tokens in "
                    + "FERRY_TOKENS_FILE)");
        }
        if (KEYSTONE.equals(auth) && keystone == null) {
            throw new IllegalArgumentException("FERRY_AUTH=keystone needs FERRY_KEYSTONE_URL and Ferry's service user "
                    + "(FERRY_KEYSTONE_USER, FERRY_KEYSTONE_PASSWORD, FERRY_KEYSTONE_PROJECT)");
        }
        if (TOKENS.equals(auth) && tokensFile == null) {
            throw new IllegalArgumentException("FERRY_AUTH=tokens needs FERRY_TOKENS_FILE: the path of a file with "
                    + "one line per token, <sha256 hex> <user> <project> <role,role,...>");
        }
        if (trustedProxies == null) {
            trustedProxies = TrustedProxies.defaults();
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("FERRY_HOST is empty; set it to this machine's name");
        }
        if (leaseSeconds < 1) {
            throw new IllegalArgumentException("FERRY_JOB_LEASE_SECONDS is " + leaseSeconds
                    + "; it must be at least 1 (default " + DEFAULT_LEASE_SECONDS + ")");
        }
        if (reaperIntervalSeconds < 1) {
            throw new IllegalArgumentException("FERRY_REAPER_INTERVAL_SECONDS is " + reaperIntervalSeconds
                    + "; it must be at least 1 (default: a third of FERRY_JOB_LEASE_SECONDS)");
        }
        if (limits == null) {
            limits = ApiLimits.DEFAULTS;
        }
        if (shareBaseExport != null) {
            shareBaseExport = shareBaseExport.isBlank() ? null : shareBaseExport.trim();
        }
        while (shareBaseExport != null && shareBaseExport.length() > 1 && shareBaseExport.endsWith("/")) {
            shareBaseExport = shareBaseExport.substring(0, shareBaseExport.length() - 1);
        }
        if (backupExport != null) {
            backupExport = backupExport.isBlank() ? null : backupExport.trim();
        }
        ExportPath.ofSetting("FERRY_SHARE_BASE_EXPORT", shareBaseExport);
        ExportPath.ofSetting("FERRY_BACKUP_EXPORT", backupExport);
        if (jobMaxAttempts < 1) {
            throw new IllegalArgumentException("FERRY_JOB_MAX_ATTEMPTS is " + jobMaxAttempts + "; it must be at "
                    + "least 1 (default " + DEFAULT_JOB_MAX_ATTEMPTS + ")");
        }
        if (publicUrl != null && publicUrl.isBlank()) {
            publicUrl = null;
        }
        if (publicUrl != null) {
            PublicUrl.parse(publicUrl);
        }
        if (httpServer == null) {
            httpServer = HttpServerSettings.DEFAULTS;
        }
        if (defaultShareType != null) {
            defaultShareType = defaultShareType.isBlank() ? null : defaultShareType.trim();
        }
    }

    /** Without a default share type. */
    public ApiConfig(String httpHost, int httpPort, String dbUrl, String dbUser, String dbPassword, AmqpSettings amqp,
                     String auth, String host, int leaseSeconds, int reaperIntervalSeconds, ApiLimits limits,
                     TrustedProxies trustedProxies, Path tokensFile, Path policyFile, String shareBaseExport,
                     String backupExport, boolean localExports, int jobMaxAttempts, String publicUrl,
                     HttpServerSettings httpServer) {
        this(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds, reaperIntervalSeconds,
                limits, trustedProxies, tokensFile, policyFile, shareBaseExport, backupExport, localExports,
                jobMaxAttempts, publicUrl, httpServer, null, null);
    }

    /** The same settings with another default share type (a type's name or id; null: none). */
    public ApiConfig withDefaultShareType(String defaultShareType) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** Without FERRY_PUBLIC_URL: links start with the bind address. */
    public ApiConfig(String httpHost, int httpPort, String dbUrl, String dbUser, String dbPassword, AmqpSettings amqp,
                     String auth, String host, int leaseSeconds, int reaperIntervalSeconds, ApiLimits limits,
                     TrustedProxies trustedProxies, Path tokensFile, Path policyFile, String shareBaseExport,
                     String backupExport, boolean localExports, int jobMaxAttempts) {
        this(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds, reaperIntervalSeconds,
                limits, trustedProxies, tokensFile, policyFile, shareBaseExport, backupExport, localExports,
                jobMaxAttempts, null, null, null, null);
    }

    /**
     * Where links point: FERRY_PUBLIC_URL, else {@code scheme://<bind host>:<port>} (this machine's host name when
     * bound to all addresses). {@code scheme} is {@code https} when the API serves TLS.
     */
    public PublicUrl links(String scheme) {
        return PublicUrl.of(publicUrl, scheme, httpHost, httpPort);
    }

    /** With the default lease (30 s) and reaper interval (10 s). */
    public ApiConfig(String httpHost, int httpPort, String dbUrl, String dbUser, String dbPassword, AmqpSettings amqp,
                     String auth, String host) {
        this(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, DEFAULT_LEASE_SECONDS,
                defaultReaperInterval(DEFAULT_LEASE_SECONDS), ApiLimits.DEFAULTS);
    }

    /** With the default trusted proxies, no tokens file and Manila's default policy. */
    public ApiConfig(String httpHost, int httpPort, String dbUrl, String dbUser, String dbPassword, AmqpSettings amqp,
                     String auth, String host, int leaseSeconds, int reaperIntervalSeconds, ApiLimits limits) {
        this(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds, reaperIntervalSeconds,
                limits, null, null, null, null, null, false, DEFAULT_JOB_MAX_ATTEMPTS, null, null, null, null);
    }

    /** The reaper looks three times per lease, at most once a second. */
    public static int defaultReaperInterval(int leaseSeconds) {
        return Math.max(1, leaseSeconds / 3);
    }

    /** From FERRY_* variables (a Map so tests and a properties file can supply them). */
    public static ApiConfig fromEnv(Map<String, String> env) {
        String bind = value(env, "FERRY_HTTP_BIND", DEFAULT_BIND);
        int colon = bind.lastIndexOf(':');
        if (colon <= 0 || colon == bind.length() - 1) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND '" + bind + "' is not host:port, e.g. " + DEFAULT_BIND);
        }
        String httpHost = bind.substring(0, colon);
        if (httpHost.startsWith("[") && httpHost.endsWith("]")) {
            httpHost = httpHost.substring(1, httpHost.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(bind.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FERRY_HTTP_BIND '" + bind + "' has no numeric port; expected host:port, "
                    + "e.g. " + DEFAULT_BIND);
        }
        String dbUrl = value(env, "FERRY_DB_URL", DEFAULT_DB_URL);
        boolean h2 = dbUrl.startsWith("jdbc:h2:");
        String dbUser = value(env, "FERRY_DB_USER", h2 ? "sa" : "postgres");
        String dbPassword = SecretFile.read(env, "FERRY_DB_PASSWORD_FILE")
                .orElse(env.getOrDefault("FERRY_DB_PASSWORD", ""));
        String quorum = value(env, "FERRY_AMQP_QUORUM", "true").toLowerCase(Locale.ROOT);
        if (!quorum.equals("true") && !quorum.equals("false")) {
            throw new IllegalArgumentException("FERRY_AMQP_QUORUM is '" + quorum
                    + "'; use true (durable quorum queues) or false (oslo's classic default)");
        }
        AmqpSettings amqp = new AmqpSettings(value(env, "FERRY_AMQP_URI", AmqpSettings.DEFAULT_URI),
                value(env, "FERRY_AMQP_EXCHANGE", AmqpSettings.DEFAULT_EXCHANGE), quorum.equals("true"))
                .withFilesFrom(env);
        String auth = value(env, "FERRY_AUTH", NOAUTH).toLowerCase(Locale.ROOT);
        int lease = seconds(env, "FERRY_JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS);
        int reaper = seconds(env, "FERRY_REAPER_INTERVAL_SECONDS", defaultReaperInterval(lease));
        ApiLimits limits = new ApiLimits(
                (int) number(env, "FERRY_QUOTA_BACKUPS", ApiLimits.DEFAULT_BACKUPS, "a number of backups"),
                (int) number(env, "FERRY_QUOTA_BACKUP_GIGABYTES", ApiLimits.DEFAULT_BACKUP_GIGABYTES, "a number of GiB"),
                number(env, "FERRY_MESSAGE_TTL", ApiLimits.DEFAULT_MESSAGE_TTL_SECONDS, "a number of seconds"),
                (int) number(env, "FERRY_QUOTA_SHARES", ApiLimits.DEFAULT_SHARES, "a number of shares"),
                (int) number(env, "FERRY_QUOTA_GIGABYTES", ApiLimits.DEFAULT_GIGABYTES, "a number of GiB"),
                (int) number(env, "FERRY_MAX_PAGE_SIZE", ApiLimits.DEFAULT_MAX_PAGE_SIZE, "a number of items"),
                (int) number(env, "FERRY_JOB_RETENTION_DAYS", ApiLimits.DEFAULT_JOB_RETENTION_DAYS, "a number of days"));
        return new ApiConfig(httpHost, port, dbUrl, dbUser, dbPassword, amqp, auth,
                value(env, "FERRY_HOST", localHostName()), lease, reaper, limits,
                TrustedProxies.parse(value(env, "FERRY_TRUSTED_PROXIES", TrustedProxies.DEFAULT)),
                path(env, "FERRY_TOKENS_FILE"), path(env, "FERRY_POLICY_FILE"), env.get("FERRY_SHARE_BASE_EXPORT"),
                env.get("FERRY_BACKUP_EXPORT"), localMode(env),
                (int) number(env, "FERRY_JOB_MAX_ATTEMPTS", DEFAULT_JOB_MAX_ATTEMPTS, "a number of attempts"),
                value(env, "FERRY_PUBLIC_URL", null),
                HttpServerSettings.fromEnv(env), value(env, "FERRY_DEFAULT_SHARE_TYPE", null),
                KEYSTONE.equals(auth) ? KeystoneSettings.fromEnv(env) : null);
    }

    /**
     * Local mode, as data nodes read it: FERRY_SHARE_MOUNT_TEMPLATE given and empty (nothing is mounted; an export
     * path is a folder used in place). Unset means Manila's mount template.
     */
    private static boolean localMode(Map<String, String> env) {
        String template = env.get("FERRY_SHARE_MOUNT_TEMPLATE");
        return template != null && template.isBlank();
    }

    /** The share base export as {@code manage} compares exports (null when unset). */
    public ExportPath shareBase() {
        return ExportPath.ofSetting("FERRY_SHARE_BASE_EXPORT", shareBaseExport);
    }

    /** The backup repository as {@code manage} compares exports (null when unset). */
    public ExportPath backupRepository() {
        return ExportPath.ofSetting("FERRY_BACKUP_EXPORT", backupExport);
    }

    /**
     * The authenticator FERRY_AUTH names. In tokens mode this reads FERRY_TOKENS_FILE, and an
     * IllegalArgumentException names the file and the line at fault.
     */
    public Authenticator openAuthenticator() {
        return openAuthenticator(new CompositeMeterRegistry());
    }

    /** As {@link #openAuthenticator()}, counting keystone mode's requests to Keystone into {@code registry}. */
    public Authenticator openAuthenticator(MeterRegistry registry) {
        return switch (auth) {
            case KEYSTONE -> new KeystoneTokenAuthenticator(new KeystoneClient(keystone, registry, Clock.systemUTC()),
                    new TokenCache(keystone.cacheTime(), TokenCache.DEFAULT_NEGATIVE_TIME, TokenCache.DEFAULT_MAX_ENTRIES,
                            Clock.systemUTC()), keystone.wwwAuthenticateUri());
            case KEYSTONE_PROXY -> new KeystoneProxyAuthenticator(trustedProxies);
            case TOKENS -> TokensAuthenticator.load(tokensFile, TokensAuthenticator.DEFAULT_CHECK_INTERVAL);
            default -> new NoAuthAuthenticator();
        };
    }

    /** Manila's default policy, with FERRY_POLICY_FILE's overrides when it is set. */
    public Policies loadPolicies() {
        return policyFile == null ? Policies.defaults() : Policies.fromFile(policyFile);
    }

    /** The same settings with other authentication and policy settings. */
    public ApiConfig withAuth(String auth, TrustedProxies trustedProxies, Path tokensFile, Path policyFile) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** The same settings without a broker: HTTP and database only. */
    public ApiConfig withoutBroker() {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, null, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** The same settings in keystone mode, validating tokens with {@code keystone}. */
    public ApiConfig withKeystone(KeystoneSettings keystone) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, KEYSTONE, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** The same settings with another lease and reaper interval. */
    public ApiConfig withLease(int leaseSeconds, int reaperIntervalSeconds) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** The same settings with other quotas and message lifetime. */
    public ApiConfig withLimits(ApiLimits limits) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** Whether the API port speaks HTTPS ({@code FERRY_HTTP_TLS_CERT_FILE} and {@code FERRY_HTTP_TLS_KEY_FILE}). */
    public boolean tls() {
        return httpServer.tls();
    }

    /** The same settings with other HTTP server settings (timeouts, data rate, threads, TLS). */
    public ApiConfig withHttpServer(HttpServerSettings httpServer) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** The same settings with another base export for {@code subdir} shares. */
    public ApiConfig withShareBaseExport(String shareBaseExport) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    /** The same settings with another backup repository and local mode ({@code manage}'s export checks). */
    public ApiConfig withExports(String shareBaseExport, String backupExport, boolean localExports) {
        return new ApiConfig(httpHost, httpPort, dbUrl, dbUser, dbPassword, amqp, auth, host, leaseSeconds,
                reaperIntervalSeconds, limits, trustedProxies, tokensFile, policyFile, shareBaseExport,
                backupExport, localExports, jobMaxAttempts, publicUrl, httpServer, defaultShareType, keystone);
    }

    private static int seconds(Map<String, String> env, String name, int fallback) {
        String text = value(env, name, Integer.toString(fallback));
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + text + "'; give a whole number of seconds, e.g. "
                    + fallback);
        }
    }

    private static long number(Map<String, String> env, String name, long fallback, String what) {
        String text = value(env, name, Long.toString(fallback));
        try {
            long n = Long.parseLong(text);
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(name + " is '" + text + "'; give " + what + ", e.g. " + fallback);
    }

    private static Path path(Map<String, String> env, String name) {
        String value = value(env, name, null);
        return value == null ? null : Path.of(value);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String localHostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
