package com.kahula.eventpersister.support;

import com.kahula.eventpersister.config.PersisterProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The service's properties as Spring binds them: its defaults, the required names, and the test's overrides. */
public final class BoundProperties {

    private BoundProperties() {}

    public static PersisterProperties of(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "persister.env", "dev",
                "persister.table.name", "t",
                "persister.queue.name", "q",
                "persister.queue.dead-letter-name", "q-dlq",
                "persister.bus.name", "b",
                "persister.mapping.id-pointer", "/id",
                "persister.mapping.saga-id-pointer", "/sagaId",
                "persister.mapping.timestamp-pointer", "/timestamp",
                "persister.mapping.domain-pointer", "/domain"));
        values.putAll(overrides);
        return new Binder(new MapConfigurationPropertySource(values))
                .bind("persister", PersisterProperties.class)
                .get();
    }
}
