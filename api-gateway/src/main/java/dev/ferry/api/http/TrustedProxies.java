package dev.ferry.api.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * FERRY_TRUSTED_PROXIES: the addresses (IPv4 or IPv6 literals, or CIDRs such as {@code 10.0.0.0/8}) whose
 * identity headers {@code keystone-proxy} mode believes. Host names are refused: trust must not depend on DNS.
 */
public final class TrustedProxies {
    public static final String DEFAULT = "127.0.0.1,::1";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private final List<Network> networks;
    private final String text;

    private record Network(byte[] address, int prefix) {
        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (other[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private TrustedProxies(List<Network> networks, String text) {
        this.networks = networks;
        this.text = text;
    }

    /** Comma-separated addresses and CIDRs; an IllegalArgumentException names the setting and the entry. */
    public static TrustedProxies parse(String setting) {
        List<Network> networks = new ArrayList<>();
        for (String raw : setting.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(host).orElseThrow(() -> bad(entry, "'" + host
                    + "' is not an IPv4 or IPv6 address (host names are not accepted)"));
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw bad(entry, "the prefix length must be 0-" + address.length * 8);
                }
            }
            networks.add(new Network(address, prefix));
        }
        return new TrustedProxies(List.copyOf(networks), setting.trim());
    }

    public static TrustedProxies defaults() {
        return parse(DEFAULT);
    }

    /** Is the peer {@code address} (as the HTTP server reports it, IPv6 possibly in brackets) trusted? */
    public boolean contains(String address) {
        if (address == null) {
            return false;
        }
        String bare = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int zone = bare.indexOf('%');
        if (zone >= 0) {
            bare = bare.substring(0, zone);
        }
        Optional<byte[]> parsed = literal(bare);
        return parsed.isPresent() && networks.stream().anyMatch(n -> n.contains(parsed.get()));
    }

    @Override
    public String toString() {
        return text;
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("FERRY_TRUSTED_PROXIES entry '" + entry + "' is invalid: " + why
                + "; give comma-separated addresses or CIDRs, e.g. " + DEFAULT + ",10.0.0.0/8");
    }

    /** The address's bytes, only for literals (never a DNS lookup); IPv4-mapped IPv6 becomes IPv4. */
    private static Optional<byte[]> literal(String text) {
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
