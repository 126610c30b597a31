package com.kahula.eventpersister.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Which thread read the response of a probe call, a call whose request names {@link #PROBE}: the SDK runs {@code
 * afterTransmission} of an asynchronous client where the response arrived, its HTTP client's I/O thread. Every SDK
 * client of the test JVM carries it (test resources, {@code software/amazon/awssdk/global/handlers}); other calls pass
 * through untouched.
 */
public final class IoThreadProbe implements ExecutionInterceptor {

    public static final String PROBE = "io-thread-probe";

    private static final Map<String, String> THREADS = new ConcurrentHashMap<>();

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String request = context.request().toString();
        if (request.contains(PROBE)) {
            THREADS.put(request, Thread.currentThread().getName());
        }
    }

    /** The thread that read the response of the probe call whose request's {@code toString} contains {@code name}. */
    public static String threadOf(String name) {
        return THREADS.entrySet().stream()
                .filter(entry -> entry.getKey().contains(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no probe call named " + name + " reached its response"));
    }
}
