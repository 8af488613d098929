package dev.ferry.drivers;

import java.io.IOException;

/**
 * How a restore sets one extended attribute (or ACL) on what it restores: through the kernel
 * ({@link #THROUGH_HANDLE}), or, in tests, a writer that refuses as a target share would.
 */
@FunctionalInterface
interface XattrWriter {

    XattrWriter THROUGH_HANDLE = (holder, attribute) -> holder.setXattr(attribute.name(), attribute.value());

    /** Sets {@code attribute} on {@code holder}; an {@link Errno} when the target refuses it. */
    void set(XattrHolder holder, Xattrs.Attribute attribute) throws IOException;
}
