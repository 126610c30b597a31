package com.kahula.embeddedaws;

/** An AWS JSON protocol error: the SDK maps {@code type} to its modelled exception class. */
final class AwsServiceException extends RuntimeException {

    private final int status;
    private final String type;

    AwsServiceException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    static AwsServiceException validation(String message) {
        return new AwsServiceException(400, "ValidationException", message);
    }

    static AwsServiceException notFound(String message) {
        return new AwsServiceException(400, "ResourceNotFoundException", message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
