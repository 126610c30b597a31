package com.kahula.eventpersister.aws;

import java.util.Set;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** How an AWS call failed, decided in one place for every adapter. */
public final class AwsErrors {

    /** Who a failure is about, which decides what becomes of the message. */
    public enum Kind {
        /** Throttling, a 5xx, a timeout or a lost connection: retried, then left for redelivery. */
        TRANSIENT,
        /** The service refused this message's content (an item's key too long, too large): parked at once. */
        ABOUT_THE_MESSAGE,
        /**
         * The service cannot do its work (no permission, a missing table, queue or bus, bad credentials), or an
         * answer nobody expected: not the message's fault, so left for redelivery and shown in readiness.
         */
        ABOUT_THE_SERVICE
    }

    // DynamoDB's answer to an item it refuses: key size or type, an empty key value, an item over 400 KB.
    private static final Set<String> ABOUT_THE_MESSAGE_CODES = Set.of("ValidationException");

    private AwsErrors() {}

    /** Who {@code error} is about. A client-side failure to get an answer is transient; anything not AWS's is ours. */
    public static Kind classify(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof AwsServiceException service) {
            if (service.isThrottlingException() || service.statusCode() >= 500) {
                return Kind.TRANSIENT;
            }
            String code = service.awsErrorDetails() == null
                    ? null
                    : service.awsErrorDetails().errorCode();
            return code != null && ABOUT_THE_MESSAGE_CODES.contains(code)
                    ? Kind.ABOUT_THE_MESSAGE
                    : Kind.ABOUT_THE_SERVICE;
        }
        return cause instanceof SdkClientException ? Kind.TRANSIENT : Kind.ABOUT_THE_SERVICE;
    }

    /** The service's own words about a failure, for the parked message's detail. */
    public static String message(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails().errorMessage();
            return (code == null ? "" : code + ": ") + (message == null ? "" : message);
        }
        return String.valueOf(cause.getMessage());
    }

    /** The failure itself, out of the {@link CompletionException}s that asynchronous stages wrap it in. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Throttling, a 5xx, or no answer at all (timeout, connection): another attempt may succeed. */
    public static boolean isTransient(Throwable error) {
        return classify(error) == Kind.TRANSIENT;
    }

    /** A 5xx or no answer: the service is unavailable, as a circuit breaker counts it; throttling is not. */
    public static boolean isOutage(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof SdkClientException
                || (cause instanceof AwsServiceException service && service.statusCode() >= 500);
    }
}
