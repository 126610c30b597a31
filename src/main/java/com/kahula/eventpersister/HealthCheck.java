package com.kahula.eventpersister;

import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * The container health check: exits 0 when the actuator health URL answers 200, 1 otherwise. The JRE image has no
 * curl or wget, and a main in the application jar needs nothing else: {@code java -cp application.jar
 * com.kahula.eventpersister.HealthCheck [url]}. It starts no Spring and loads only JDK classes.
 */
public final class HealthCheck {

    static final String LIVENESS = "http://localhost:8081/actuator/health/liveness";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private HealthCheck() {}

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : LIVENESS;
        System.exit(isHealthy(url) ? 0 : 1);
    }

    static boolean isHealthy(String url) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            try {
                return connection.getResponseCode() == HttpURLConnection.HTTP_OK;
            } finally {
                connection.disconnect();
            }
        } catch (java.io.IOException | IllegalArgumentException unreachable) {
            System.err.println("unhealthy: " + url + " (" + unreachable + ")");
            return false;
        }
    }
}
