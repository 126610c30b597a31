package com.kahula.eventpersister.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata that the configuration processor generates from {@link PersisterProperties} describes
 * every {@code persister.*} property, so that IDEs show what each one means.
 */
class ConfigurationMetadataTests {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    // property name -> description ("" when it has none), from every metadata file on the classpath
    private static final Map<String, String> persisterProperties = new TreeMap<>();

    @BeforeAll
    static void readMetadata() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (URL file : Collections.list(
                ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
            try (InputStream in = file.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    if (name.startsWith("persister.")) {
                        persisterProperties.put(
                                name, property.path("description").asText(""));
                    }
                }
            }
        }
    }

    @Test
    void describesEveryPersisterProperty() {
        List<String> undescribed = persisterProperties.entrySet().stream()
                .filter(property -> property.getValue().isBlank())
                .map(Map.Entry::getKey)
                .toList();

        assertThat(undescribed)
                .as("persister.* properties without a description in %s", METADATA)
                .isEmpty();
    }

    @Test
    void listsThePropertiesOfEveryGroupWithNestedOnesByTheirOwnNames() {
        assertThat(persisterProperties.keySet())
                .contains(
                        "persister.env",
                        "persister.table.name",
                        "persister.queue.dead-letter-name",
                        "persister.mapping.id-pointer",
                        "persister.listener.max-body-bytes",
                        "persister.store.pause-failure-rate",
                        "persister.follow-up.sweep-grace",
                        "persister.provisioning.visibility-timeout")
                .doesNotContain("persister.mapping");
    }
}
