package dev.ferry.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.ShareTypeRepository.Publicity;
import dev.ferry.api.db.ShareTypeRepository.Viewer;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.ShareType;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.OnBothDatabases;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Share types, their specs and access lists, and a share's type name, on H2 and PostgreSQL. */
class ShareTypeRepositoryTest extends OnBothDatabases {
    private final Clock clock = Clock.systemUTC();
    private final ShareTypeRepository types = new ShareTypeRepository(clock);

    private ShareType type(Database db, String name, boolean isPublic, Map<String, String> specs) {
        LocalDateTime now = Timestamps.now(clock);
        ShareType type = new ShareType(UUID.randomUUID().toString(), name, null, isPublic, specs, now, now);
        db.inTransaction(c -> {
            types.insert(c, type);
            return null;
        });
        return type;
    }

    private static boolean inTx(Database db, SqlWork<Boolean> work) {
        return db.inTransaction(work);
    }

    private static boolean readTx(Database db, SqlWork<Boolean> work) {
        return db.read(work);
    }

    private static List<String> names(List<ShareType> list) {
        return list.stream().map(ShareType::name).toList();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aPrivateTypeIsVisibleToAdminsAndToProjectsWithAccessOnly(Engine engine) {
        Database db = dbs.fresh(engine);
        ShareType open = type(db, "b-open", true, Map.of("driver_handles_share_servers", "False"));
        ShareType closed = type(db, "a-closed", false, Map.of("driver_handles_share_servers", "False", "k", "v"));
        Viewer p1 = new Viewer("p1");

        assertTrue(db.read(c -> types.find(c, closed.id(), p1)).isEmpty());
        assertTrue(db.read(c -> types.findByName(c, "a-closed", p1)).isEmpty());
        assertEquals(closed, db.read(c -> types.find(c, closed.id(), Viewer.ADMIN)).orElseThrow());
        assertEquals(List.of("b-open"), names(db.read(c -> types.list(c, p1, Publicity.PUBLIC, "p1"))));
        assertEquals(List.of("a-closed", "b-open"), names(db.read(c -> types.list(c, Viewer.ADMIN, Publicity.ALL,
                "ops"))), "sorted by name");
        assertEquals(List.of("a-closed"), names(db.read(c -> types.list(c, Viewer.ADMIN, Publicity.PRIVATE, "ops"))));

        assertTrue(inTx(db, c -> types.addProject(c, closed.id(), "p1")));
        assertFalse(inTx(db, c -> types.addProject(c, closed.id(), "p1")), "already there");
        assertEquals(List.of("p1"), db.read(c -> types.projects(c, closed.id())));
        assertEquals(Map.of("driver_handles_share_servers", "False", "k", "v"),
                db.read(c -> types.findByName(c, "a-closed", p1)).orElseThrow().extraSpecs());
        assertEquals(List.of("a-closed", "b-open"), names(db.read(c -> types.list(c, p1, Publicity.PUBLIC, "p1"))));
        assertEquals(List.of("b-open"), names(db.read(c -> types.list(c, new Viewer("p2"), Publicity.PUBLIC, "p2"))));

        assertTrue(inTx(db, c -> types.removeProject(c, closed.id(), "p1")));
        assertFalse(inTx(db, c -> types.removeProject(c, closed.id(), "p1")));
        assertTrue(db.read(c -> types.find(c, closed.id(), p1)).isEmpty());
        assertTrue(db.read(c -> types.find(c, open.id(), p1)).isPresent());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void specsAreAddedReplacedAndRemovedAndTheTypeUpdated(Engine engine) {
        Database db = dbs.fresh(engine);
        ShareType type = type(db, "gold", true, Map.of("driver_handles_share_servers", "False"));
        db.inTransaction(c -> {
            types.putSpecs(c, type.id(), Map.of("tier", "gold", "driver_handles_share_servers", "false"));
            return null;
        });
        assertEquals(Map.of("driver_handles_share_servers", "false", "tier", "gold"),
                db.read(c -> types.find(c, type.id(), Viewer.ADMIN)).orElseThrow().extraSpecs());
        assertTrue(inTx(db, c -> types.deleteSpec(c, type.id(), "tier")));
        assertFalse(inTx(db, c -> types.deleteSpec(c, type.id(), "tier")));

        db.inTransaction(c -> {
            types.update(c, type.id(), "platinum", "shiny", false, null);
            return null;
        });
        ShareType renamed = db.read(c -> types.find(c, type.id(), Viewer.ADMIN)).orElseThrow();
        assertEquals("platinum", renamed.name());
        assertEquals("shiny", renamed.description());
        assertTrue(renamed.isPublic(), "publicity unchanged when not given");
        db.inTransaction(c -> {
            types.update(c, type.id(), null, null, true, false);
            return null;
        });
        ShareType cleared = db.read(c -> types.find(c, type.id(), Viewer.ADMIN)).orElseThrow();
        assertEquals("platinum", cleared.name());
        assertNull(cleared.description());
        assertFalse(cleared.isPublic());
        assertTrue(readTx(db, c -> types.nameTaken(c, "platinum")));
        assertFalse(readTx(db, c -> types.nameTaken(c, "gold")));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShareShowsItsTypeAndTheTypeCountsIt(Engine engine) {
        Database db = dbs.fresh(engine);
        Repositories repos = Repositories.over(db, clock);
        ShareType type = type(db, "silver", true, Map.of("driver_handles_share_servers", "False"));
        LocalDateTime now = Timestamps.now(clock);
        Share share = new Share(UUID.randomUUID().toString(), "p1", "u1", "s", null, "NFS", 1, ShareStatus.AVAILABLE,
                "/exports/s", false, null, now, now, Share.MANAGED, null, type.id(), null);
        db.inTransaction(c -> {
            repos.shares().insert(c, share);
            return null;
        });
        Share read = db.read(c -> repos.shares().find(c, share.id())).orElseThrow();
        assertEquals(type.id(), read.shareTypeId());
        assertEquals("silver", read.shareTypeName());
        assertEquals("silver", db.read(c -> repos.shares().list(c, ShareRepository.Filter.all())).get(0)
                .shareTypeName());
        long count = db.read(c -> types.shareCount(c, type.id()));
        assertEquals(1L, count);

        ShareType unused = type(db, "unused", true, Map.of("driver_handles_share_servers", "False", "k", "v"));
        db.inTransaction(c -> types.addProject(c, unused.id(), "p1"));
        assertTrue(inTx(db, c -> types.delete(c, unused.id())), "its specs and access list go with it");
        assertTrue(db.read(c -> types.find(c, unused.id(), Viewer.ADMIN)).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSecondTypeOfTheSameNameIsRefusedAsAUniqueViolation(Engine engine) {
        Database db = dbs.fresh(engine);
        type(db, "gold", true, Map.of("driver_handles_share_servers", "False"));
        DataAccessException refused = org.junit.jupiter.api.Assertions.assertThrows(DataAccessException.class,
                () -> type(db, "gold", true, Map.of("driver_handles_share_servers", "False")));
        assertTrue(refused.uniqueViolation(), "two requests racing to create one name: the loser answers 409, "
                + "which ShareTypeService reads from this: " + refused.getMessage());
        DataAccessException other = org.junit.jupiter.api.Assertions.assertThrows(DataAccessException.class,
                () -> db.inTransaction(c -> c.prepareStatement("SELECT * FROM no_such_table").executeQuery()));
        assertFalse(other.uniqueViolation(), other.getMessage());
    }
}
