package com.kahula.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * One call a contestant made, as it went over the wire: the action ({@code X-Amz-Target}, e.g. {@code
 * DynamoDB_20120810.PutItem}; empty when the request named none), the request's body, the answer's status and the
 * answer's body (empty where the recorder was told not to keep it).
 */
public record AwsCall(String action, byte[] request, int status, byte[] answer) {

    public AwsCall {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(answer, "answer");
    }

    /** The operation alone: {@code PutItem} of {@code DynamoDB_20120810.PutItem}. */
    public String operation() {
        return action.substring(action.lastIndexOf('.') + 1);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean succeeded() {
        return status / 100 == 2;
    }

    JsonNode requestJson() {
        return json(request);
    }

    JsonNode answerJson() {
        return json(answer);
    }

    /** The body as JSON; a missing node when it is empty or not JSON (an error page of a proxy, say). */
    static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
