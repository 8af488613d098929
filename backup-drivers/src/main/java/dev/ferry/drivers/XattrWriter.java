package dev.ferry.drivers;

import java.io.IOException;

/**
 * How a restore sets one extended attribute (or ACL) on what it restores: through the kernel
 * ({@link #THROUGH_HANDLE}), or, in tests, a writer that refuses as a target share would.
 */
@FunctionalInterface
interface XattrWriter {

    /** An open file or directory's way of setting one attribute ({@link FileHandle#setXattr}, {@link DirHandle#setXattr}). */
    @FunctionalInterface
    interface Target {
        void set(Xattrs.Attribute attribute) throws IOException;
    }

    XattrWriter THROUGH_HANDLE = (target, attribute) -> target.set(attribute);

    /** Sets {@code attribute} on {@code target}; an {@link Errno} when the target refuses it. */
    void set(Target target, Xattrs.Attribute attribute) throws IOException;
}
