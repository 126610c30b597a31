package com.kahula.embeddedaws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The faults the gateway injects into SQS, DynamoDB and PutEvents traffic, switched at runtime by tests. */
final class GatewayFaults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger receivesToDuplicate = new AtomicInteger();
    private volatile String refusedPutItem;
    private final Gate sqsGate = new Gate();
    private final Gate updateItemGate = new Gate();
    private final Gate putEventsAnswerGate = new Gate();
    private volatile boolean droppingSqs;
    private final LongAdder droppedSqsRequests = new LongAdder();

    /**
     * Makes the next {@code receives} ReceiveMessage responses that hold at least two messages carry their first
     * message twice, as SQS's at-least-once delivery may: the same message id twice in one batch.
     */
    void duplicateFirstMessageOfNextReceives(int receives) {
        receivesToDuplicate.set(receives);
    }

    /**
     * Answers every DynamoDB PutItem with the 400 error {@code errorType} (e.g. AccessDeniedException), as a revoked
     * permission would, or forwards them again when {@code errorType} is null; other DynamoDB calls pass.
     */
    void refusePutItem(String errorType) {
        refusedPutItem = errorType;
    }

    /** The error type every PutItem is refused with, or null. */
    String putItemRefusal() {
        return refusedPutItem;
    }

    Gate sqsGate() {
        return sqsGate;
    }

    Gate updateItemGate() {
        return updateItemGate;
    }

    Gate putEventsAnswerGate() {
        return putEventsAnswerGate;
    }

    void dropSqsConnections(boolean dropping) {
        droppingSqs = dropping;
    }

    long droppedSqsRequests() {
        return droppedSqsRequests.sum();
    }

    /** Lets an SQS request on: throws {@link ConnectionDropped} while SQS connections drop, else passes the gate. */
    void beforeSqsRequest() throws InterruptedException {
        if (droppingSqs) {
            droppedSqsRequests.increment();
            throw new ConnectionDropped();
        }
        sqsGate.pass(() -> {});
    }

    /** The ReceiveMessage answer, with its first message twice if a duplicate is due and it holds two or more. */
    byte[] duplicateFirstMessage(byte[] response) {
        if (receivesToDuplicate.get() <= 0) {
            return response;
        }
        try {
            JsonNode tree = JSON.readTree(response);
            if (!(tree.get("Messages") instanceof ArrayNode messages) || messages.size() < 2) {
                return response;
            }
            if (receivesToDuplicate.getAndDecrement() <= 0) {
                return response;
            }
            ObjectNode copy = messages.get(0).deepCopy();
            messages.add(copy);
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            return response;
        }
    }
}
