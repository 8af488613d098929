package dev.ferry.drivers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes the extended attributes Ferry keeps ({@link Xattrs#kept}: {@code user.*} and the POSIX ACLs)
 * through an open file or directory descriptor, so that no path is resolved. A file system without extended
 * attributes reads as having none.
 */
final class ExtendedAttributes {

    private static final int MAX_ATTEMPTS = 5;

    private ExtendedAttributes() {
    }

    /** The kept attributes of the open {@code fd}, in the order the file system lists them. */
    static List<Xattrs.Attribute> read(int fd, String path) throws IOException {
        List<Xattrs.Attribute> attributes = new ArrayList<>();
        byte[] list = list(fd, path);
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] != 0) {
                continue;
            }
            byte[] name = Arrays.copyOfRange(list, start, i);
            start = i + 1;
            if (name.length == 0 || !Xattrs.kept(Names.display(name))) {
                continue;
            }
            byte[] value = value(fd, name, path);
            if (value != null) {
                attributes.add(new Xattrs.Attribute(name, value));
            }
        }
        return attributes;
    }

    /** Sets one attribute on the open {@code fd} (created or replaced). */
    static void write(int fd, Xattrs.Attribute attribute, String path) throws IOException {
        byte[] value = attribute.value();
        if (LibC.fsetxattr(fd, Names.c(attribute.name()), value, value.length, 0) != 0) {
            throw Errno.last("set extended attribute " + attribute.nameText() + " of", path);
        }
    }

    /** Whether a failure of {@link #write} means the file system does not take such attributes. */
    static boolean refused(Errno e) {
        return e.is(LibC.EOPNOTSUPP) || e.is(LibC.EPERM) || e.is(LibC.EACCES) || e.is(LibC.EINVAL)
                || e.is(LibC.E2BIG) || e.is(LibC.ERANGE) || e.is(28 /* ENOSPC: no room for attributes */);
    }

    private static byte[] list(int fd, String path) throws IOException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long size = LibC.flistxattr(fd, null, 0);
            if (size < 0) {
                Errno error = Errno.last("list extended attributes of", path);
                if (error.is(LibC.EOPNOTSUPP)) {
                    return new byte[0];
                }
                throw error;
            }
            if (size == 0) {
                return new byte[0];
            }
            byte[] list = new byte[(int) size];
            long read = LibC.flistxattr(fd, list, list.length);
            if (read >= 0) {
                return Arrays.copyOf(list, (int) read);
            }
            Errno error = Errno.last("list extended attributes of", path);
            if (!error.is(LibC.ERANGE)) {
                throw error;
            }
            // the list grew between the two calls: ask again
        }
        throw new IOException("list extended attributes of '" + path + "': they keep changing");
    }

    /** The value of one attribute; null when it vanished since the listing. */
    private static byte[] value(int fd, byte[] name, String path) throws IOException {
        byte[] cName = Names.c(name);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long size = LibC.fgetxattr(fd, cName, null, 0);
            if (size < 0) {
                Errno error = Errno.last("read extended attribute " + Names.display(name) + " of", path);
                if (error.is(LibC.ENODATA)) {
                    return null;
                }
                throw error;
            }
            byte[] value = new byte[(int) size];
            long read = size == 0 ? 0 : LibC.fgetxattr(fd, cName, value, value.length);
            if (read >= 0) {
                return Arrays.copyOf(value, (int) read);
            }
            Errno error = Errno.last("read extended attribute " + Names.display(name) + " of", path);
            if (error.is(LibC.ENODATA)) {
                return null;
            }
            if (!error.is(LibC.ERANGE)) {
                throw error;
            }
        }
        throw new IOException("read extended attribute " + Names.display(name) + " of '" + path
                + "': it keeps changing");
    }
}
