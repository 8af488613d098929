package dev.ferry.api.http;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Database;
import dev.ferry.api.service.BackupContents;
import dev.ferry.api.testing.Fixtures;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * An api-gateway on port 0 over an in-memory H2 database, without a broker (casts stay in the outbox),
 * and a second pool on the same database for fixtures and checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InProcessGateway {
    protected ApiGateway gateway;
    protected ApiClient api;
    protected Fixtures f;
    private Database db;

    @BeforeAll
    void startGateway() throws Exception {
        String url = "jdbc:h2:mem:http-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        gateway = ApiGateway.start(config(new ApiConfig("127.0.0.1", 0, url, "sa", "", null, "noauth", "test-host")),
                ServiceSettings.DEFAULTS, contents());
        db = Database.open(url, "sa", "");
        f = new Fixtures(db);
        api = new ApiClient(gateway.port());
    }

    /** The gateway's settings: noauth and Manila's default policy unless a test class says otherwise. */
    protected ApiConfig config(ApiConfig noauth) throws Exception {
        return noauth;
    }

    /** What answers browse and path questions in place of data nodes; null: none (without a broker, 503). */
    protected BackupContents contents() {
        return null;
    }

    @AfterAll
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
