package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The service's own settings of its parser, store and follow-ups, and the names of its table, queues and bus, bound as
 * the service binds them (this jar's application.yml with no profile, under the environment's {@code PERSISTER_*}
 * variables), without a Spring context: every command finds the resources the service uses, the followups command sends a follow-up with the source, size limit, rules and retry budgets the service would, and
 * the dead-letters command judges a message with the parser the service would.
 */
record ServiceSettings(
        PersisterProperties.Store store,
        PersisterProperties.FollowUps followUp,
        EventMapping mapping,
        PersisterProperties.Listener listener) {

    /** The service's parser, with its mapping and body size limit. */
    EventParser parser() {
        return new EventParser(mapping, listener.maxBodyBytes());
    }

    /** From the process's environment. */
    static ServiceSettings load() {
        return load(Map.copyOf(System.getenv()));
    }

    static ServiceSettings load(Map<String, String> environment) {
        Binder binder = binder(environment, Map.of());
        return new ServiceSettings(
                binder.bindOrCreate("persister.store", Bindable.of(PersisterProperties.Store.class)),
                binder.bindOrCreate("persister.follow-up", Bindable.of(PersisterProperties.FollowUps.class)),
                binder.bind("persister.mapping", Bindable.of(EventMapping.class))
                        .orElseThrow(() -> new IllegalStateException("application.yml sets no persister.mapping")),
                binder.bindOrCreate("persister.listener", Bindable.of(PersisterProperties.Listener.class)));
    }

    /** The names of the service's table, queues and bus: {@code persister.table}, {@code .queue} and {@code .bus}. */
    record Names(String table, String queue, String deadLetterQueue, String bus) {

        Names {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
            Objects.requireNonNull(bus, "bus");
        }
    }

    /**
     * The names as the service binds them from {@code environment}, under {@code overrides} ({@code persister.*}
     * properties from the command line), so that a name left to its default follows an overridden one as in the
     * service: the dead-letter queue's follows the queue's, all follow {@code persister.env}.
     */
    static Names names(Map<String, String> environment, Map<String, String> overrides) {
        Binder binder = binder(environment, overrides);
        PersisterProperties.Queue queue = required(binder, "persister.queue", PersisterProperties.Queue.class);
        return new Names(
                required(binder, "persister.table", PersisterProperties.Table.class)
                        .name(),
                queue.name(),
                queue.deadLetterName(),
                required(binder, "persister.bus", PersisterProperties.Bus.class).name());
    }

    private static <T> T required(Binder binder, String prefix, Class<T> type) {
        return binder.bind(prefix, Bindable.of(type))
                .orElseThrow(() -> new IllegalStateException("application.yml sets no " + prefix));
    }

    private static Binder binder(Map<String, String> environment, Map<String, String> overrides) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new MapPropertySource("command line", Map.<String, Object>copyOf(overrides)));
        // named as Spring names the process's environment, which binds PERSISTER_LISTENER_MAXBODYBYTES as the service
        // does, not only PERSISTER_LISTENER_MAX_BODY_BYTES
        sources.addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>copyOf(environment)));
        sources.addLast(sharedDocument());
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
    }

    /** application.yml's first document: what every profile shares (the others name the profile they belong to). */
    private static PropertySource<?> sharedDocument() {
        try {
            List<PropertySource<?>> documents =
                    new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
            return documents.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service's application.yml", e);
        }
    }
}
