package dev.ferry.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of Ferry's design, checked on the compiled classes of every module: modules depend in one
 * direction ({@code messages} ← {@code backup-drivers} ← {@code data-manager}; {@code messages} ←
 * {@code api-gateway}; {@code cli} on all of them; {@code dev} on {@code cli}), the two processes meet only on
 * the wire, and a data node never opens a database. A class that breaks one fails the build with the rule and
 * the offending dependency named.
 */
class ModuleRulesTest {
    private static final String MESSAGES = "dev.ferry.messages..";
    private static final String DRIVERS = "dev.ferry.drivers..";
    private static final String DATA = "dev.ferry.data..";
    private static final String API = "dev.ferry.api..";
    private static final String MIGRATIONS = "db.migration..";
    private static final String CLI = "dev.ferry.cli..";
    private static final String DEV = "dev.ferry.dev..";
    private static final String TESTS = "dev.ferry.it..";
    private static final String BENCH = "dev.ferry.bench..";
    private static JavaClasses ferry;

    @BeforeAll
    static void importFerry() {
        // main classes only, from the modules' folders or jars on this module's class path; a rule that finds no
        // class to check fails (ArchUnit's default), so a module missing from the import cannot pass unseen
        ferry = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ferry", "db.migration");
    }

    @Test
    void theWireContractDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage(MESSAGES)
                .should().dependOnClassesThat().resideInAnyPackage(DRIVERS, DATA, API, MIGRATIONS, CLI, DEV, TESTS,
                        BENCH)
                .because("messages is the wire contract both processes share, and nothing else")
                .check(ferry);
    }

    @Test
    void backupDriversDependOnlyOnTheWireContract() {
        noClasses().that().resideInAPackage(DRIVERS)
                .should().dependOnClassesThat().resideInAnyPackage(DATA, API, MIGRATIONS, CLI, DEV, TESTS, BENCH)
                .because("messages <- backup-drivers <- data-manager")
                .check(ferry);
    }

    @Test
    void theDataManagerNeverReachesTheApiGatewayNorADatabase() {
        noClasses().that().resideInAPackage(DATA)
                .should().dependOnClassesThat().resideInAnyPackage(API, MIGRATIONS, CLI, DEV, TESTS, BENCH)
                .because("the two processes meet only on the wire")
                .check(ferry);
        noClasses().that().resideInAnyPackage(DATA, DRIVERS)
                .should().dependOnClassesThat().resideInAnyPackage("javax.sql..", "org.postgresql..",
                        "org.h2..", "com.zaxxer.hikari..", "org.flywaydb..")
                .because("a data node holds no database credentials and never opens the database")
                .check(ferry);
        // backup manifests are SQLite files in the backup repository, reached through JDBC by two classes only
        noClasses().that().resideInAnyPackage(DATA, DRIVERS)
                .and().doNotHaveFullyQualifiedName("dev.ferry.drivers.ManifestWriter")
                .and().doNotHaveFullyQualifiedName("dev.ferry.drivers.SqliteManifest")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
                .because("a data node never opens the database; only the manifest store opens manifest files")
                .check(ferry);
    }

    @Test
    void theApiGatewayDependsOnlyOnTheWireContract() {
        noClasses().that().resideInAnyPackage(API, MIGRATIONS)
                .should().dependOnClassesThat().resideInAnyPackage(DRIVERS, DATA, CLI, DEV, TESTS, BENCH)
                .because("messages <- api-gateway; the two processes meet only on the wire")
                .check(ferry);
    }

    @Test
    void theApiGatewaysHttpAndDomainClassesSeeNoAmqpClientType() {
        noClasses().that().resideInAnyPackage("dev.ferry.api.http..", "dev.ferry.api.service..",
                        "dev.ferry.api.model..", "dev.ferry.api.db..")
                .should().dependOnClassesThat().resideInAPackage("com.rabbitmq..")
                .because("AMQP client types are converted where messages are read (the jobs and parked packages)")
                .check(ferry);
    }

    @Test
    void onlyTheApiGatewaysKindTypesBranchOnAJobKind() {
        noClasses().that().resideInAnyPackage(API).and().resideOutsideOfPackage("dev.ferry.api.jobs.kinds..")
                .and().doNotHaveFullyQualifiedName("dev.ferry.api.http.AdminJobRoutes") // names kinds in a 400's text
                .should().accessFieldWhere(JavaFieldAccess.Predicates.target(HasOwner.Predicates.With.owner(
                        JavaClass.Predicates.equivalentTo(dev.ferry.messages.JobKind.class))))
                .orShould().callMethod(dev.ferry.messages.JobKind.class, "sharesOnly")
                .orShould().callMethod(dev.ferry.messages.JobKind.class, "ordinal")
                .because("what a job kind means to the database has one home, its type in dev.ferry.api.jobs.kinds, "
                        + "looked up in JobKinds: a switch or comparison on JobKind elsewhere would be a second home")
                .check(ferry);
    }

    @Test
    void onlyTheDataNodesAmqpShellSeesAmqpClientTypes() {
        // DataNode wires the connection; JobSlot consumes and settles deliveries (AmqpDelivery), and ParkingLot
        // copies a delivery's properties into its parked copy. Everything else reads plain values (ReceivedMessage)
        // and publishes through messages' ConfirmPublisher.
        noClasses().that().resideInAPackage(DATA)
                .and().haveNameNotMatching("dev\\.ferry\\.data\\.(DataNode|JobSlot|AmqpDelivery|ParkingLot)(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("com.rabbitmq..")
                .because("a data node converts AMQP client types where it reads a message; its jobs, claims and "
                        + "the claim/run/settle handler never see them")
                .check(ferry);
    }

    @Test
    void theProductionCommandsDoNotReachTheDevelopmentJar() {
        noClasses().that().resideInAPackage(CLI)
                .should().dependOnClassesThat().resideInAnyPackage(DEV, TESTS, BENCH)
                .because("the jar operators run carries no embedded broker; ferry dev lives in its own jar")
                .check(ferry);
        noClasses().that().resideInAnyPackage(DEV)
                .should().dependOnClassesThat().resideInAnyPackage(TESTS, BENCH)
                .because("nothing depends on the tests or the benchmarks")
                .check(ferry);
    }
}
