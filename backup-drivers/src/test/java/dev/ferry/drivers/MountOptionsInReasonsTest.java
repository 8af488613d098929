package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mount options may carry credentials; a failed mount becomes a job's reason (and so the admin API's and the logs'
 * text), so the reason shows {@code <options>} in their place and keeps the rest of the command and the output.
 * Needs no root: the "mount" programs here are scripts that fail.
 */
class MountOptionsInReasonsTest {

    private static final String SECRET_OPTIONS = "-o vers=4.1,username=svc-backup,password=Tr0ub4dor&3,sec=sys";
    private static final List<String> SECRETS = List.of("Tr0ub4dor", "password=", "username=svc-backup", "vers=4.1",
            "sec=sys");

    @TempDir
    Path tmp;

    @Test
    void aFailedMountNamesTheCommandAndItsOutputButNotItsOptions() throws Exception {
        // like mount.nfs -v, the script repeats the options it was given, then fails
        Path mount = script("failing-mount", """
                #!/bin/sh
                echo "mount.nfs: trying text-based options '$4,addr=127.0.0.1'"
                echo "mount.nfs: access denied by server while mounting $5"
                exit 32
                """);
        Path repository = Files.createDirectory(tmp.resolve("repository"));
        NfsDriverConfig config = NfsDriverConfig.defaults(repository.toString(), tmp.resolve("mnt"))
                .withBackupMount(mount + " -vt %(proto)s %(options)s %(export)s %(path)s", "umount %(path)s",
                        SECRET_OPTIONS)
                .withShareMount(mount + " -vt %(proto)s %(options)s %(export)s %(path)s", "umount %(path)s",
                        SECRET_OPTIONS);

        DriverException failure = assertThrows(DriverException.class, () -> new NfsBackupDriver(config)
                .restore(new RestoreRequest("b-1", new ShareLocation("share-1", "NFS", "nfs.example:/share-1")),
                        progress -> { }, new Cancellation()));

        String reason = failure.getMessage();
        assertEquals(FailureDetail.MOUNT_FAILED, failure.detail());
        for (String secret : SECRETS) {
            assertFalse(reason.contains(secret), () -> "'" + secret + "' in the reason: " + reason);
            for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                String message = String.valueOf(cause.getMessage());
                assertFalse(message.contains(secret), () -> "'" + secret + "' in a cause: " + message);
            }
        }
        // what an operator needs stays: the program, the protocol, the export, the status and the server's answer
        assertTrue(reason.contains("`" + mount + " -vt nfs <options> " + repository), reason);
        assertTrue(reason.contains("exited with status 32"), reason);
        assertTrue(reason.contains("trying text-based options '<options>,addr=127.0.0.1'"), reason);
        assertTrue(reason.contains("access denied by server while mounting " + repository), reason);
        assertTrue(reason.contains("Check the export, the node's access to it and the mount template"), reason);
    }

    @Test
    void aCommandThatCannotRunIsMaskedToo() {
        CommandRunner runner = new CommandRunner(Duration.ofMinutes(1));
        CommandFailedException failure = assertThrows(CommandFailedException.class, () -> runner.run(
                List.of("ferry-no-such-mount-xyz", "-o", "password=hunter22", "host:/e", "/mnt/x"),
                MountOptionsMask.of("-o password=hunter22")));

        assertFalse(failure.getMessage().contains("hunter22"), failure.getMessage());
        assertTrue(failure.getMessage().contains("cannot run `ferry-no-such-mount-xyz <options> host:/e /mnt/x`"),
                failure.getMessage());
    }

    @Test
    void theMaskReplacesOptionsAsWordsOnlyAndLeavesOtherTextAlone() {
        MountOptionsMask mask = MountOptionsMask.of("-o ro,nosuid");

        assertEquals("mount -t nfs <options> server:/error /mnt/robot", mask.apply(
                "mount -t nfs -o ro,nosuid server:/error /mnt/robot"));
        assertEquals("options '<options>,vers=4' and the error stays", mask.apply(
                "options 'ro,nosuid,vers=4' and the error stays"));
        assertEquals("kernel options '<options>,nodev,<options>'", mask.apply("kernel options 'ro,nodev,nosuid'"));
        assertEquals("mount -o x /a /b", MountOptionsMask.NONE.apply("mount -o x /a /b"));
        assertEquals("mount /a /b", MountOptionsMask.of("  ").apply("mount /a /b"));
    }

    @Test
    void anHonestMountWithOptionsStillRunsWithThem() throws Exception {
        // the mask changes what is shown, never what runs: the program gets the options as they are
        Path echo = script("echoing-mount", """
                #!/bin/sh
                echo "$@"
                """);
        String output = new CommandRunner(Duration.ofMinutes(1)).run(List.of(echo.toString(), "-o", "password=x1y2z3",
                "host:/e"), MountOptionsMask.of("-o password=x1y2z3"));

        assertEquals("<options> host:/e", output, "the output shown is masked");
        assertEquals("-o password=x1y2z3 host:/e", new CommandRunner(Duration.ofMinutes(1))
                .run(List.of(echo.toString(), "-o", "password=x1y2z3", "host:/e")), "the program got the options");
    }

    private Path script(String name, String text) throws IOException {
        Path script = tmp.resolve(name + ".sh");
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
