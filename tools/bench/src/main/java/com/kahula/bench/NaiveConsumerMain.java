package com.kahula.bench;

import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.store.EventTable;
import io.awspring.cloud.sqs.annotation.SqsListener;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The naive contestant: what a typical developer writes with spring-cloud-aws. An {@code @SqsListener} taking one
 * message on the default container, a synchronous {@link DynamoDbClient} conditional PutItem, acknowledgement by the
 * container on success. Same per-event work as the service (parse, canonical hash, the same item).
 *
 * <p>Properties: {@code bench.queue}, {@code bench.table}, and spring-cloud-aws's endpoints and region.
 */
@SpringBootApplication
public class NaiveConsumerMain {

    public static void main(String[] args) {
        SpringApplication.run(NaiveConsumerMain.class, args);
    }

    @Component
    static class NaiveListener {

        private final DynamoDbClient dynamoDb;
        private final String table;
        private final EventParser parser = new EventParser(EventMapping.defaults(), 262_144);

        NaiveListener(DynamoDbClient dynamoDb, @Value("${bench.table}") String table) {
            this.dynamoDb = dynamoDb;
            this.table = table;
        }

        @SqsListener("${bench.queue}")
        void onMessage(String body) {
            if (!(parser.parse(body, Instant.now()) instanceof ParseResult.Parsed parsed)) {
                throw new IllegalArgumentException("not an event");
            }
            try {
                dynamoDb.putItem(request -> request.tableName(table)
                        .item(EventTable.item(parsed.event(), Optional.empty()))
                        .conditionExpression("attribute_not_exists(" + EventTable.UNIQUE_ID + ")"));
            } catch (ConditionalCheckFailedException duplicate) {
                // already stored: done
            }
        }
    }
}
