package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.service.BackupChanges;
import dev.ferry.api.service.BackupCreationService;
import dev.ferry.api.service.BackupDeletionService;
import dev.ferry.api.service.BackupQueries;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.service.JobQueries;
import dev.ferry.api.service.MessageQueries;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.RestoreService;
import dev.ferry.api.service.ShareChanges;
import dev.ferry.api.service.ShareCreationService;
import dev.ferry.api.service.ShareService;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The HTTP part alone, built without ApiGateway: /healthz follows the database. */
class HealthzTest {

    @Test
    void healthzIs503OnceTheDatabaseIsGone() {
        Database db = Database.open("jdbc:h2:mem:health-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Repositories repos = Repositories.over(db, Clock.systemUTC());
        CastOutbox outbox = new CastOutbox(repos.outbox(), "openstack", () -> { });
        Policies policies = Policies.defaults();
        HttpApi.Services services = new HttpApi.Services(db, new ShareService(repos, policies),
                new ShareCreationService(repos, outbox, null, policies), new ShareChanges(repos, outbox, policies),
                new BackupQueries(repos, policies), new BackupCreationService(repos, outbox, policies),
                new RestoreService(repos, outbox, policies), new BackupChanges(repos, policies),
                new BackupDeletionService(repos, outbox, policies), new MessageQueries(repos, policies),
                new JobQueries(repos), null);
        try (HttpApi http = new HttpApi(services, new NoAuthAuthenticator()).start("127.0.0.1", 0)) {
            ApiClient api = new ApiClient(http.port());
            assertEquals(200, api.call("GET", "/healthz").token(null).send().status());
            db.close();
            ApiClient.Response down = api.call("GET", "/healthz").token(null).send();
            assertEquals(503, down.status());
            assertEquals("database unreachable", down.json().path("status").asText());
        }
    }
}
