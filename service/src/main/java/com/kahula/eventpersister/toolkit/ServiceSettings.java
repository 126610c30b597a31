package com.kahula.eventpersister.toolkit;

import com.kahula.eventpersister.config.PersisterProperties;
import com.kahula.eventpersister.event.EventMapping;
import com.kahula.eventpersister.event.EventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The service's own settings of its parser, store and follow-ups, bound as the service binds them (this jar's
 * application.yml with no profile, under the environment's {@code PERSISTER_*} variables), without a Spring context:
 * the followups command sends a follow-up with the source, size limit, rules and retry budgets the service would, and
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
        MutablePropertySources sources = new MutablePropertySources();
        // named as Spring names the process's environment, which binds PERSISTER_LISTENER_MAXBODYBYTES as the service
        // does, not only PERSISTER_LISTENER_MAX_BODY_BYTES
        sources.addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>copyOf(environment)));
        sources.addLast(sharedDocument());
        Binder binder = new Binder(
                ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
        return new ServiceSettings(
                binder.bindOrCreate("persister.store", Bindable.of(PersisterProperties.Store.class)),
                binder.bindOrCreate("persister.follow-up", Bindable.of(PersisterProperties.FollowUps.class)),
                binder.bind("persister.mapping", Bindable.of(EventMapping.class))
                        .orElseThrow(() -> new IllegalStateException("application.yml sets no persister.mapping")),
                binder.bindOrCreate("persister.listener", Bindable.of(PersisterProperties.Listener.class)));
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
