package dev.ferry.messages;

/** oslo's version rule: same major, requested minor not above the endpoint's. */
public final class RpcVersion {
    private RpcVersion() {
    }

    public static boolean compatible(String endpointVersion, String requestedVersion) {
        int[] have = parse(endpointVersion);
        int[] want = parse(requestedVersion);
        return have != null && want != null && have[0] == want[0] && want[1] <= have[1];
    }

    private static int[] parse(String version) {
        String[] parts = version.split("\\.");
        if (parts.length < 1 || parts.length > 2) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length == 2 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
