package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.ShareStatus;
import org.junit.jupiter.api.Test;

/** A gateway that cannot reach any data node answers a browse 503, saying why, after its own checks. */
class BackupBrowseWithoutDataNodesApiTest extends InProcessGateway {

    @Test
    void browseIs503WhenNoDataNodeCanBeAsked() {
        Backup backup = f.backupWithManifest(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);

        ApiClient.Response r = api.backups("GET", "/v2/share-backups/" + backup.id() + "/files?path=docs").send();

        assertEquals(503, r.status(), r.toString());
        assertEquals(503, r.json().path(r.fault()).path("code").asInt());
        assertTrue(r.message().contains("no data node can be asked"), r.message());

        ApiClient.Response hidden = api.backups("GET", "/v2/share-backups/" + backup.id() + "/files")
                .token("bob:p2").send();
        assertEquals(404, hidden.status(), "visibility is checked before a data node is asked: " + hidden);
    }
}
