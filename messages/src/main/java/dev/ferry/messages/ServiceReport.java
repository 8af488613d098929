package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A data node's heartbeat, a call on {@code ferry-state} ({@link StateRpc#REPORT_SERVICE}): who it is
 * ({@code FERRY_HOST}), whether it takes work ({@link State}), and what its backup driver can restore (restore
 * into a share other than the backup's own, and between which share protocols). The api-gateway answers how
 * soon the next report is due ({@link #intervalFromReply}); a node that stops cleanly reports {@link State#STOPPING}
 * once, and is {@code down} at once.
 */
public record ServiceReport(String host, State state, boolean restoreToTarget, List<RestorePair> restorePairs) {
    /** Manila's binary name for its data service. */
    public static final String BINARY = "manila-data";
    /** Host names are bounded like the columns that hold them. */
    public static final int LONGEST_HOST = 255;
    private static final int MOST_PAIRS = 36;
    private static final String INTERVAL_FIELD = "report_interval_ms";

    public ServiceReport {
        restorePairs = List.copyOf(restorePairs);
    }

    /** Whether the node takes work: {@code up} while it consumes casts, {@code stopping} once it drains or gives up. */
    public enum State {
        UP, STOPPING;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Data backed up from a share of {@code backup} protocol can be restored into a share of {@code target}. */
    public record RestorePair(String backup, String target) {
        public RestorePair {
            backup = backup.toUpperCase(Locale.ROOT);
            target = target.toUpperCase(Locale.ROOT);
        }

        public boolean matches(String backupProtocol, String targetProtocol) {
            return backup.equalsIgnoreCase(backupProtocol) && target.equalsIgnoreCase(targetProtocol);
        }

        @Override
        public String toString() {
            return backup + "→" + target;
        }
    }

    public RpcRequest toRequest(RequestContext context) {
        ObjectNode args = Json.object();
        args.put("host", host);
        args.put("binary", BINARY);
        args.put("state", state.wire());
        args.put("restore_to_target", restoreToTarget);
        ArrayNode pairs = args.putArray("restore_pairs");
        for (RestorePair pair : restorePairs) {
            pairs.addArray().add(pair.backup()).add(pair.target());
        }
        return RpcRequest.cast(StateRpc.REPORT_SERVICE, args, StateRpc.VERSION, context);
    }

    public static ServiceReport fromArgs(JsonNode args) throws UndecodableMessageException {
        String host = Json.text(args, "host");
        if (host == null || host.isBlank() || host.length() > LONGEST_HOST) {
            throw new UndecodableMessageException("a service report needs 'host', the node's FERRY_HOST (1 to "
                    + LONGEST_HOST + " characters)");
        }
        String stateText = Json.text(args, "state");
        State state;
        if (State.UP.wire().equals(stateText)) {
            state = State.UP;
        } else if (State.STOPPING.wire().equals(stateText)) {
            state = State.STOPPING;
        } else {
            throw new UndecodableMessageException("a service report's 'state' must be 'up' or 'stopping', not '"
                    + stateText + "'");
        }
        List<RestorePair> pairs = new ArrayList<>();
        JsonNode list = args.path("restore_pairs");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new UndecodableMessageException("a service report's 'restore_pairs' must be a list of "
                    + "[backup protocol, target protocol] pairs");
        }
        for (JsonNode pair : list) {
            if (!pair.isArray() || pair.size() != 2 || !plausibleProtocol(pair.get(0)) || !plausibleProtocol(pair.get(1))) {
                throw new UndecodableMessageException("a service report's 'restore_pairs' must be a list of "
                        + "[backup protocol, target protocol] pairs of protocol names, not " + pair);
            }
            if (pairs.size() == MOST_PAIRS) {
                throw new UndecodableMessageException("a service report may name at most " + MOST_PAIRS
                        + " restore pairs");
            }
            pairs.add(new RestorePair(pair.get(0).asText(), pair.get(1).asText()));
        }
        return new ServiceReport(host, state, args.path("restore_to_target").asBoolean(false), pairs);
    }

    private static boolean plausibleProtocol(JsonNode name) {
        return name.isTextual() && name.asText().matches("[A-Za-z0-9_-]{1,32}");
    }

    /** The api-gateway's answer: the next report is due within {@code interval}. */
    public static ObjectNode reply(Duration interval) {
        return Json.object().put(INTERVAL_FIELD, interval.toMillis());
    }

    /** The interval an answer names, or {@code fallback} when it names none (an api-gateway that does not say). */
    public static Duration intervalFromReply(JsonNode reply, Duration fallback) {
        long millis = reply == null ? 0 : reply.path(INTERVAL_FIELD).asLong(0);
        return millis > 0 ? Duration.ofMillis(millis) : fallback;
    }
}
