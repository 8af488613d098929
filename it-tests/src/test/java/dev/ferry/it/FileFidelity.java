package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What {@code cp -a} would keep and a plain copy loses, written and checked as a user would with the usual tools
 * ({@code setfattr}, {@code setfacl}, {@code getfattr}, {@code getfacl}, {@code stat}): hard links, a sparse file,
 * an extended attribute and a POSIX ACL.
 */
final class FileFidelity {
    static final String XATTR = "user.ferry.colour";
    static final String XATTR_VALUE = "teal";
    static final String ACL_ENTRY = "user:4321:rw-";
    static final long SPARSE_SIZE = 256L * 1024 * 1024;
    static final long SPARSE_ALLOWED_BYTES = 4L * 1024 * 1024;
    static final String LINK_ONE = "links/one.txt";
    static final String LINK_TWO = "links/two.txt";
    static final String SPARSE = "disk/sparse.img";
    static final String COLOURED = "attrs/coloured.txt";

    private FileFidelity() {
    }

    /** A hard-link pair, a 256 MiB file holding 12 KiB of data, a file with an xattr and an ACL. */
    static void write(Path root) throws Exception {
        Path one = Files.createDirectories(root.resolve("links")).resolve("one.txt");
        Files.writeString(one, "one inode, two names\n");
        Files.createLink(root.resolve(LINK_TWO), one);

        Files.createDirectories(root.resolve("disk"));
        byte[] data = new byte[4096];
        new Random(7).nextBytes(data);
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve(SPARSE).toFile(), "rw")) {
            sparse.setLength(SPARSE_SIZE);
            for (long at : List.of(0L, 100L * 1024 * 1024, SPARSE_SIZE - data.length)) {
                sparse.seek(at);
                sparse.write(data);
            }
        }

        Path coloured = Files.createDirectories(root.resolve("attrs")).resolve("coloured.txt");
        Files.writeString(coloured, "has an xattr and an ACL\n");
        run("setfattr", "-n", XATTR, "-v", XATTR_VALUE, coloured.toString());
        run("setfacl", "-m", "u:4321:rw", coloured.toString());
    }

    /** Everything {@link #write} made is there in {@code tree}: links share an inode, the file is sparse, etc. */
    static void assertKept(Path tree, String where) throws Exception {
        Object inodeOne = Files.getAttribute(tree.resolve(LINK_ONE), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        Object inodeTwo = Files.getAttribute(tree.resolve(LINK_TWO), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        assertEquals(inodeOne, inodeTwo, where + ": the hard-link pair is one inode");
        assertEquals(2, Files.getAttribute(tree.resolve(LINK_ONE), "unix:nlink", LinkOption.NOFOLLOW_LINKS),
                where + ": the inode has two links");

        assertEquals(SPARSE_SIZE, Files.size(tree.resolve(SPARSE)), where + ": the sparse file keeps its size");
        long allocated = allocatedBytes(tree.resolve(SPARSE));
        System.out.printf("fidelity, %s: the 256 MiB sparse file holds %d KiB of disk%n", where, allocated / 1024);
        assertTrue(allocated < SPARSE_ALLOWED_BYTES,
                where + ": the sparse file stays sparse: " + allocated + " bytes allocated (stat %b x %B)");

        String xattr = run("getfattr", "--only-values", "-n", XATTR, tree.resolve(COLOURED).toString());
        assertEquals(XATTR_VALUE, xattr, where + ": the user xattr is kept");
        String acl = run("getfacl", "-c", "-p", tree.resolve(COLOURED).toString());
        assertTrue(acl.lines().anyMatch(ACL_ENTRY::equals), where + ": the ACL is kept, getfacl says:\n" + acl);
    }

    /** Bytes of disk a file holds: {@code stat %b} blocks of {@code %B} bytes. */
    static long allocatedBytes(Path file) throws Exception {
        String[] blocks = run("stat", "-c", "%b %B", file.toString()).strip().split(" ");
        return Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
    }

    /** Runs a command, fails with its output unless it exits 0, returns its standard output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed: " + out + err);
        return out;
    }
}
