package com.kahula.bench;

import static com.kahula.bench.ChaosLedgerFindings.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kahula.eventpersister.support.EventOracle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The chaos ledger's expectations of one row: a source event's columns, its follow-up's state, the follow-up's row. */
final class ChaosLedgerRows {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private ChaosLedgerRows() {}

    /** The columns of a source event's row, as the contract derives each from what was sent. */
    static Map<String, String> sourceColumns(ChaosLedger.Expected expected) {
        BenchMessages.Sent sent = expected.sent();
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("unique_id", sent.producerId());
        columns.put("payload_hash", EventOracle.payloadHash(sent.detail()));
        columns.put("mbocdp_id", sent.producerId());
        columns.put("aws_id", sent.awsId());
        columns.put("saga_id", sent.sagaId());
        columns.put("event_name", ChaosLedger.eventName(sent.detailType()));
        columns.put("detail_type", sent.detailType());
        columns.put("timestamp", ChaosLedgerFindings.STORED_TIME.format(sent.time()));
        columns.put("domain", sent.domain());
        columns.put("source", sent.source());
        columns.put("payload", sent.detail());
        if (expected.followUpType() != null) {
            columns.put("follow_up_id", expected.followUpId());
            columns.put("follow_up_type", expected.followUpType());
        }
        return columns;
    }

    /** Whether the follow-up is stored but its cause's item still says PENDING; a wrong state is a problem. */
    static boolean followUpState(
            Map<String, AttributeValue> row, Map<String, AttributeValue> followUpRow, ChaosLedgerFindings findings) {
        String id = row.get("unique_id").s();
        String status = text(row, "follow_up_status");
        if ("EMITTED".equals(status)) {
            findings.storedTime(row, "follow_up_emitted_at");
            if (row.containsKey("follow_up_outbox")) {
                findings.add("EMITTED item left in the outbox", id);
            }
            return false;
        }
        if (!"PENDING".equals(status)) {
            findings.add("wrong follow_up_status", id + ": " + status);
            return false;
        }
        if (row.containsKey("follow_up_emitted_at")) {
            findings.add("unexpected attribute follow_up_emitted_at", id);
        }
        if (!EventOracle.outboxShard(id).equals(text(row, "follow_up_outbox"))) {
            findings.add("PENDING item not in its outbox shard", id + ": " + text(row, "follow_up_outbox"));
        }
        return followUpRow != null;
    }

    /**
     * A follow-up's own row: the event the bus delivered, under the follow-up's id, its detail naming its cause and
     * carrying the cause's payload, its id on the bus one that the bus gave a copy of it.
     */
    static void followUpRow(
            ChaosLedger.Expected expected,
            Map<String, AttributeValue> row,
            List<String> busIds,
            ChaosLedgerFindings findings) {
        BenchMessages.Sent cause = expected.sent();
        String emitted = text(row, "timestamp");
        findings.storedTime(row, "timestamp");
        findings.storedTime(row, "received_at");
        ObjectNode detail = JSON.createObjectNode();
        detail.put("id", expected.followUpId());
        detail.put("domain", cause.domain());
        detail.put("sagaId", cause.sagaId());
        detail.put("timestamp", emitted);
        detail.put("causationId", cause.producerId());
        detail.put("causationEvent", ChaosLedger.eventName(cause.detailType()));
        detail.set("payload", tree(cause.detail()));
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("unique_id", expected.followUpId());
        columns.put("payload_hash", EventOracle.payloadHash(detail.toString()));
        columns.put("mbocdp_id", expected.followUpId());
        columns.put("saga_id", cause.sagaId());
        columns.put("event_name", expected.followUpType());
        columns.put("detail_type", expected.followUpType());
        columns.put("domain", cause.domain());
        columns.put("source", ChaosLedger.FOLLOW_UP_SOURCE);
        findings.columns(
                row, columns, Set.of("aws_id", "timestamp", "received_at", "payload", "trace_id", "trace_parent"));
        followUpTrace(row, expected.followUpId(), findings);
        String payload = text(row, "payload");
        if (payload == null || !detail.equals(tree(payload))) {
            findings.add("changed payload", expected.followUpId());
        }
        String busId = text(row, "aws_id");
        if (busId == null || !busIds.contains(busId)) {
            findings.add("wrong aws_id", expected.followUpId() + ": " + busId + " is no id the bus gave it");
        }
    }

    /**
     * The trace a follow-up's own row keeps: its entry carried the trace of the span that sent it (the soak's events
     * come without one, so the service started it), and the bus passed it on: a W3C traceparent of that trace id.
     */
    private static void followUpTrace(Map<String, AttributeValue> row, String id, ChaosLedgerFindings findings) {
        String traceId = text(row, "trace_id");
        String traceParent = text(row, "trace_parent");
        if (traceId == null || !traceId.matches("[0-9a-f]{32}")) {
            findings.add("follow-up without its trace", id + ": trace_id " + traceId);
        } else if (traceParent == null || !traceParent.matches("00-" + traceId + "-[0-9a-f]{16}-0[01]")) {
            findings.add("follow-up's trace_parent not of its trace", id + ": " + traceParent);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("unreadable", true);
        }
    }
}
