package com.kahula.eventpersister.observability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** Ready only while the events table answers DescribeTable and is ACTIVE or UPDATING (an updating table takes writes). */
public final class EventTableHealthIndicator implements HealthIndicator {

    private final DynamoDbAsyncClient dynamoDb;
    private final String tableName;
    private final Duration timeout;

    public EventTableHealthIndicator(DynamoDbAsyncClient dynamoDb, String tableName, Duration timeout) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            var table = dynamoDb.describeTable(request -> request.tableName(tableName))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .table();
            String status = table.tableStatusAsString();
            return ("ACTIVE".equals(status) || "UPDATING".equals(status) ? Health.up() : Health.down())
                    .withDetail("table", tableName)
                    .withDetail("status", status)
                    .build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("table", tableName).build();
        } catch (Exception unreachable) {
            return Health.down()
                    .withDetail("table", tableName)
                    .withDetail("error", unreachable.getClass().getSimpleName())
                    .build();
        }
    }
}
