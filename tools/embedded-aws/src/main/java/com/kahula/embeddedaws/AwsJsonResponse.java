package com.kahula.embeddedaws;

import java.nio.charset.StandardCharsets;

/** A response of the AWS JSON 1.1 protocol, as the EventBridge emulator answers it. */
record AwsJsonResponse(int status, byte[] body) {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    static AwsJsonResponse ok(String json) {
        return new AwsJsonResponse(200, json.getBytes(StandardCharsets.UTF_8));
    }

    static AwsJsonResponse error(AwsServiceException e, String json) {
        return new AwsJsonResponse(e.status(), json.getBytes(StandardCharsets.UTF_8));
    }
}
