package com.kahula.eventpersister.toolkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** The bus through EventBridge: PutEvents, the entries it fails (throttled) sent again with backoff. */
final class EventBridgeReplayBus implements ReplayBus {

    private static final int ATTEMPTS = 6;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final EventBridgeClient eventBridge;
    private final String busName;

    EventBridgeReplayBus(EventBridgeClient eventBridge, String busName) {
        this.eventBridge = eventBridge;
        this.busName = busName;
    }

    @Override
    public void publish(List<Entry> entries) {
        List<PutEventsRequestEntry> pending = entries.stream()
                .map(entry -> PutEventsRequestEntry.builder()
                        .eventBusName(busName)
                        .source(entry.source())
                        .detailType(entry.detailType())
                        .detail(entry.detail())
                        .time(entry.time())
                        .traceHeader(entry.traceHeader())
                        .build())
                .toList();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            List<PutEventsRequestEntry> sending = pending;
            PutEventsResponse response = eventBridge.putEvents(request -> request.entries(sending));
            if (response.failedEntryCount() == 0) {
                return;
            }
            List<PutEventsRequestEntry> failed = new ArrayList<>();
            String code = "";
            for (int i = 0; i < sending.size(); i++) {
                String error = response.entries().get(i).errorCode();
                if (error != null) {
                    failed.add(sending.get(i));
                    code = error;
                }
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException(
                        "the bus refused " + failed.size() + " entries after " + ATTEMPTS + " attempts: " + code);
            }
            pending = failed;
            LockSupport.parkNanos(backoff.toNanos());
            backoff = backoff.multipliedBy(2);
        }
    }
}
