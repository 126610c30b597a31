package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckTests {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void healthyWhenTheProbeAnswers200() throws IOException {
        assertThat(HealthCheck.isHealthy(probeAnswering(200))).isTrue();
    }

    @Test
    void unhealthyWhenTheProbeAnswersAnythingElse() throws IOException {
        assertThat(HealthCheck.isHealthy(probeAnswering(503))).isFalse();
    }

    @Test
    void unhealthyWhenNothingListens() throws IOException {
        String url = probeAnswering(200);
        server.stop(0);
        server = null;
        assertThat(HealthCheck.isHealthy(url)).isFalse();
    }

    @Test
    void checksTheLivenessProbeByDefault() {
        assertThat(HealthCheck.LIVENESS).isEqualTo("http://localhost:8081/actuator/health/liveness");
    }

    private String probeAnswering(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/actuator/health/liveness", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/health/liveness";
    }
}
