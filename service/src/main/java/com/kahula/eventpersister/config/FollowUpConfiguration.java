package com.kahula.eventpersister.config;

import com.kahula.eventpersister.followup.EventBridgeFollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpFactory;
import com.kahula.eventpersister.followup.FollowUpPublisher;
import com.kahula.eventpersister.followup.FollowUpRules;
import com.kahula.eventpersister.observability.AwsAccessHealthIndicator;
import com.kahula.eventpersister.observability.PersisterMetrics;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

/** Follow-up rules and their publication to EventBridge, with retries and a circuit breaker. */
@Configuration(proxyBeanMethods = false)
class FollowUpConfiguration {

    static final String FOLLOW_UP_RESILIENCE = "eventbridge";

    private static final Logger log = LoggerFactory.getLogger(FollowUpConfiguration.class);

    @Bean
    FollowUpRules followUpRules(PersisterProperties properties) {
        var rules = properties.followUp().rules();
        if (rules.isEmpty()) {
            log.info("No follow-up rules (persister.follow-up.rules is empty): events are stored, nothing is emitted");
        } else {
            log.info(
                    "Follow-up rules, first match wins: {}",
                    rules.stream()
                            .map(rule -> rule.name() + " -> " + rule.emit())
                            .toList());
        }
        return new FollowUpRules(rules, properties.followUp().source());
    }

    @Bean
    FollowUpFactory followUpFactory(PersisterProperties properties) {
        return new FollowUpFactory(
                properties.followUp().source(), properties.followUp().maxEntryBytes());
    }

    @Bean(destroyMethod = "close")
    EventBridgeAsyncClient eventBridgeAsyncClient(
            AwsClientBuilderConfigurer configurer,
            PersisterProperties properties,
            PersisterMetrics metrics,
            ScheduledExecutorService awsScheduler,
            AwsIo awsIo) {
        return configurer
                .configure(EventBridgeAsyncClient.builder())
                .httpClientBuilder(awsIo.httpClient(AwsIo.SDK_DEFAULT_CONNECTIONS))
                // One retry policy, the publisher's own (resilience4j), with its budget in persister.follow-up.*
                .overrideConfiguration(override -> override.addExecutionInterceptor(metrics.awsCalls())
                        .apiCallAttemptTimeout(properties.followUp().callTimeout())
                        .scheduledExecutorService(awsScheduler)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Bean
    FollowUpPublisher followUpPublisher(
            EventBridgeAsyncClient eventBridge,
            PersisterProperties properties,
            RetryRegistry retries,
            CircuitBreakerRegistry circuitBreakers,
            ScheduledExecutorService awsScheduler,
            PersisterMetrics metrics,
            AwsAccessHealthIndicator awsAccess) {
        PersisterProperties.FollowUps followUp = properties.followUp();
        var retry = retries.retry(
                FOLLOW_UP_RESILIENCE,
                ResilienceConfiguration.backoffWithJitter(
                        followUp.maxAttempts(),
                        followUp.initialBackoff(),
                        followUp.maxBackoff(),
                        EventBridgeFollowUpPublisher::isTransient));
        var circuitBreaker = circuitBreakers.circuitBreaker(
                FOLLOW_UP_RESILIENCE,
                EventBridgeFollowUpPublisher.circuitBreakerConfig(
                        followUp.circuitBreakerFailureRate(), followUp.circuitBreakerOpenFor()));
        return new EventBridgeFollowUpPublisher(
                eventBridge,
                properties.bus().name(),
                retry,
                circuitBreaker,
                awsScheduler,
                awsAccess.clearingBusFaultOnAcceptance(metrics.followUpListener()));
    }
}
