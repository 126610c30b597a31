package com.kahula.bench;

import com.kahula.eventpersister.aws.Batcher;
import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.event.ParseResult;
import com.kahula.eventpersister.event.StoredEvent;
import com.kahula.eventpersister.followup.FollowUp;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpRule;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.store.DynamoDbFollowUpOutbox;
import com.kahula.eventpersister.store.FollowUpMark;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The floor's follow-ups, with the service's rules, source and entry size (its {@code application.yml}): an event a
 * rule matches is stored PENDING with its follow-up, the batch's pending follow-ups go to the bus together (PutEvents
 * of up to ten entries, the service's entries), and each the bus accepted is marked EMITTED (the service's conditional
 * UpdateItem) without the message waiting for its mark. Without a bus the floor has no rules: it stores and deletes.
 * Nothing is retried or swept: on the bench's stack every call succeeds, and the drain would not end otherwise.
 */
final class FloorFollowUps {

    private static final int MAX_ENTRIES_PER_CALL = 10;

    /** A stored event whose follow-up the bus has not taken yet: just written PENDING, or found so by a duplicate. */
    record Pending(StoredEvent cause, FollowUpMark mark) {}

    private final FollowUpRules rules;
    private final FollowUpFactory factory;
    private final @Nullable EventBridgeAsyncClient eventBridge;
    private final String busName;
    private final DynamoDbFollowUpOutbox outbox;

    private FloorFollowUps(
            PersisterProperties.FollowUps settings,
            @Nullable EventBridgeAsyncClient eventBridge,
            String busName,
            DynamoDbAsyncClient dynamoDb,
            String table) {
        this.rules = new FollowUpRules(eventBridge == null ? List.of() : settings.rules(), settings.source());
        this.factory = new FollowUpFactory(settings.source(), settings.maxEntryBytes());
        this.eventBridge = eventBridge;
        this.busName = busName;
        Retry once = Retry.of("floor-mark", RetryConfig.custom().maxAttempts(1).build());
        this.outbox = new DynamoDbFollowUpOutbox(dynamoDb, table, once, Executors.newSingleThreadScheduledExecutor());
    }

    /** No rules: the floor stores and deletes, as the service with its rules off. */
    static FloorFollowUps none(DynamoDbAsyncClient dynamoDb, String table) {
        return new FloorFollowUps(serviceSettings(), null, "", dynamoDb, table);
    }

    /** The service's rules, sending to {@code busName} through {@code gateway}. */
    static FloorFollowUps onBus(
            URI gateway,
            String busName,
            AwsCredentialsProvider credentials,
            DynamoDbAsyncClient dynamoDb,
            String table) {
        EventBridgeAsyncClient eventBridge = EventBridgeAsyncClient.builder()
                .endpointOverride(gateway)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
        return new FloorFollowUps(serviceSettings(), eventBridge, busName, dynamoDb, table);
    }

    /** The follow-up settings as the service binds them from its {@code application.yml}. */
    static PersisterProperties.FollowUps serviceSettings() {
        try {
            var yaml = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
            return new Binder(ConfigurationPropertySources.from(yaml))
                    .bindOrCreate("persister.follow-up", PersisterProperties.FollowUps.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PENDING follow-up to store with the event, when a rule matches it. */
    Optional<FollowUpMark> markFor(ParseResult.Parsed parsed) {
        return rules.firstMatch(parsed.envelope())
                .map(rule -> FollowUpMark.pending(
                        FollowUpFactory.followUpId(parsed.event().uniqueId(), rule.emit()), rule.emit()));
    }

    /**
     * Sends the batch's pending follow-ups, each once, and has those the bus accepted marked EMITTED; completes when
     * every PutEvents has answered, not waiting for the marks.
     */
    CompletableFuture<Void> publish(List<Pending> batch) {
        if (eventBridge == null || batch.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Pending> byId = new LinkedHashMap<>();
        batch.forEach(pending -> byId.putIfAbsent(pending.mark().id(), pending));
        Instant now = Instant.now();
        List<FollowUp> followUps = new ArrayList<>(byId.size());
        for (Pending pending : byId.values()) {
            String rule = rules.emitting(pending.mark().type())
                    .map(FollowUpRule::name)
                    .orElse(null);
            followUps.add(factory.create(pending.cause(), pending.mark().type(), rule, now));
        }
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (List<FollowUp> chunk :
                Batcher.split(followUps, MAX_ENTRIES_PER_CALL, FollowUpFactory.MAX_ENTRY_SIZE, FollowUp::entrySize)) {
            calls.add(eventBridge
                    .putEvents(request ->
                            request.entries(chunk.stream().map(this::entry).toList()))
                    .thenAccept(response -> {
                        List<PutEventsResultEntry> answers = response.entries();
                        Instant at = Instant.now();
                        for (int i = 0; i < chunk.size() && i < answers.size(); i++) {
                            if (answers.get(i).errorCode() == null) {
                                Pending pending = byId.get(chunk.get(i).id());
                                outbox.markEmitted(
                                        pending.cause().uniqueId(),
                                        pending.mark().id(),
                                        at);
                            }
                        }
                    })
                    .exceptionally(error -> null));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    private PutEventsRequestEntry entry(FollowUp followUp) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(followUp.source())
                .detailType(followUp.type())
                .detail(followUp.detail())
                .build();
    }
}
