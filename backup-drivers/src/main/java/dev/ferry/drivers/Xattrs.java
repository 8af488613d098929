package dev.ferry.drivers;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's extended attributes as the manifest stores them: for each attribute, its name's length (2 bytes, big
 * endian), the name's bytes, its value's length (4 bytes) and the value's bytes. Ferry keeps {@code user.*}
 * attributes and the POSIX ACLs ({@code system.posix_acl_access}, {@code system.posix_acl_default}).
 */
public final class Xattrs {

    /** One attribute: its name as the file system spells it, and its value. */
    public record Attribute(byte[] name, byte[] value) {
        public String nameText() {
            return new String(name, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Xattrs() {
    }

    /** Whether Ferry keeps an attribute of this name. */
    public static boolean kept(String name) {
        return name.startsWith("user.") || name.equals("system.posix_acl_access")
                || name.equals("system.posix_acl_default");
    }

    /** The encoded attributes; null when there are none. */
    public static byte[] encode(List<Attribute> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Attribute attribute : attributes) {
                out.writeShort(attribute.name().length);
                out.write(attribute.name());
                out.writeInt(attribute.value().length);
                out.write(attribute.value());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** The attributes of an encoding; none for null. */
    public static List<Attribute> decode(byte[] encoded) throws IOException {
        List<Attribute> attributes = new ArrayList<>();
        if (encoded == null) {
            return attributes;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            while (in.available() > 0) {
                byte[] name = new byte[in.readUnsignedShort()];
                in.readFully(name);
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new IOException("a manifest's extended attributes are malformed (a value of " + length
                            + " bytes)");
                }
                byte[] value = new byte[length];
                in.readFully(value);
                attributes.add(new Attribute(name, value));
            }
        }
        return attributes;
    }
}
