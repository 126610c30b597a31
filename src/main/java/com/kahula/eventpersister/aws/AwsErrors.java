package com.kahula.eventpersister.aws;

import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** How an AWS call failed, decided in one place for every adapter. */
public final class AwsErrors {

    private AwsErrors() {}

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
        Throwable cause = unwrap(error);
        if (cause instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return cause instanceof SdkClientException;
    }

    /** A 5xx or no answer: the service is unavailable, as a circuit breaker counts it; throttling is not. */
    public static boolean isOutage(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof SdkClientException
                || (cause instanceof AwsServiceException service && service.statusCode() >= 500);
    }
}
