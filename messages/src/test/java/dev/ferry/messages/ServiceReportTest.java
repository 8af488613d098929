package dev.ferry.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.messages.ServiceReport.RestorePair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceReportTest {

    @Test
    void aReportTravelsAsAnOsloCallOnTheStateTopicAndComesBackWhole() throws Exception {
        ServiceReport report = new ServiceReport("node-a", ServiceReport.State.UP, true,
                List.of(new RestorePair("nfs", "NFS"), new RestorePair("CIFS", "CIFS")));
        RpcRequest request = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE,
                report.toRequest(RequestContext.service("node-a", "req-1")).asCall("reply_x").toBytes());
        assertEquals(StateRpc.REPORT_SERVICE, request.method());
        assertEquals("manila-data", request.args().path("binary").asText());
        ServiceReport back = ServiceReport.fromArgs(request.args());
        assertEquals(report, back);
        assertEquals("NFS", back.restorePairs().get(0).backup(), "protocols in Manila's upper case");
        assertEquals("NFS→NFS", back.restorePairs().get(0).toString());
    }

    @Test
    void theAnswerNamesTheInterval() {
        assertEquals(Duration.ofMillis(1500),
                ServiceReport.intervalFromReply(ServiceReport.reply(Duration.ofMillis(1500)), Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(5), ServiceReport.intervalFromReply(Json.object(), Duration.ofSeconds(5)),
                "an api-gateway that does not say");
    }

    @Test
    void malformedReportsAreRefusedWithTheReason() {
        for (String args : List.of("{}", "{\"host\": \"\", \"state\": \"up\"}",
                "{\"host\": \"" + "h".repeat(256) + "\", \"state\": \"up\"}",
                "{\"host\": \"a\", \"state\": \"sleeping\"}",
                "{\"host\": \"a\", \"state\": \"up\", \"restore_pairs\": \"NFS\"}",
                "{\"host\": \"a\", \"state\": \"up\", \"restore_pairs\": [[\"NFS\"]]}",
                "{\"host\": \"a\", \"state\": \"up\", \"restore_pairs\": [[\"NFS\", \"N,F:S\"]]}")) {
            assertThrows(UndecodableMessageException.class, () -> ServiceReport.fromArgs(Json.parse(args)), args);
        }
        StringBuilder many = new StringBuilder("{\"host\": \"a\", \"state\": \"up\", \"restore_pairs\": [");
        for (int i = 0; i < 37; i++) {
            many.append(i == 0 ? "" : ",").append("[\"P").append(i).append("\", \"NFS\"]");
        }
        assertThrows(UndecodableMessageException.class, () -> ServiceReport.fromArgs(Json.parse(many + "]}")));
    }
}
