package dev.ferry.drivers;

import java.io.IOException;

/** An open file or directory whose extended attributes can be set through its handle. */
interface XattrHolder {

    /** Sets (creates or replaces) one attribute; an {@link Errno} says why the file system refused it. */
    void setXattr(byte[] name, byte[] value) throws IOException;
}
