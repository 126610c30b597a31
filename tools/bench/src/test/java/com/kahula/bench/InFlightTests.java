package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.kahula.eventpersister.config.PersisterProperties;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** One limit of messages in flight, {@code --in-flight}, for every contestant, the service's own by default. */
class InFlightTests {

    @Test
    void defaultsToTheServicesMaxConcurrentMessages() {
        assertThat(BenchOptions.parse().inFlight())
                .isEqualTo(Integer.parseInt(serviceDefault("maxConcurrentMessages")));
        assertThat(BenchOptions.MESSAGES_PER_POLL).isEqualTo(Integer.parseInt(serviceDefault("maxMessagesPerPoll")));
    }

    @Test
    void givesEveryContestantTheSameLimit() {
        BenchOptions options = BenchOptions.parse("--in-flight", "40");

        assertThat(InFlightLimit.inFlightArguments(Contestant.FLOOR, options))
                .containsExactly("40", Integer.toString(BenchOptions.MESSAGES_PER_POLL));
        assertThat(InFlightLimit.inFlightArguments(Contestant.NAIVE, options))
                .containsExactly("--spring.cloud.aws.sqs.listener.max-concurrent-messages=40");
        for (Contestant service :
                new Contestant[] {Contestant.SERVICE, Contestant.SERVICE_STORE_ONLY, Contestant.BASELINE}) {
            assertThat(InFlightLimit.inFlightArguments(service, options))
                    .as(service.label())
                    .containsExactly("--persister.listener.max-concurrent-messages=40");
        }
    }

    @Test
    void leavesABaselineThatSetsItsOwnLimitToIt() {
        BenchOptions byArgument = BenchOptions.parse(
                "--baseline-args", "--persister.follow-up.rules= --persister.listener.maxConcurrentMessages=50");
        BenchOptions byFlag =
                BenchOptions.parse("--baseline-jvm-opts", "-Xss512k -Dpersister.listener.max-concurrent-messages=50");
        BenchOptions neither = BenchOptions.parse(
                "--baseline-args", "--persister.listener.max-messages-per-poll=5",
                "--baseline-jvm-opts", "-Dpersister.env=other");

        assertThat(InFlightLimit.inFlightArguments(Contestant.BASELINE, byArgument))
                .isEmpty();
        assertThat(InFlightLimit.inFlightArguments(Contestant.BASELINE, byFlag)).isEmpty();
        assertThat(InFlightLimit.inFlightArguments(Contestant.BASELINE, neither))
                .hasSize(1);
        assertThat(InFlightLimit.inFlightArguments(Contestant.SERVICE, byArgument))
                .containsExactly("--persister.listener.max-concurrent-messages=" + BenchOptions.SERVICE_IN_FLIGHT);
    }

    @Test
    void refusesFewerThanOnePoll() {
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> BenchOptions.parse("--in-flight", Integer.toString(BenchOptions.MESSAGES_PER_POLL - 1)))
                .withMessageContaining("--in-flight");
    }

    @Test
    void floorLoopsHoldExactlyTheLimit() {
        assertThat(FloorConsumerMain.receives(100, 10)).hasSize(10).containsOnly(10);
        assertThat(FloorConsumerMain.receives(25, 10)).containsExactly(10, 10, 5);
        assertThat(FloorConsumerMain.receives(10, 10)).containsExactly(10);
    }

    /** The {@code @DefaultValue} of a setting of the service's listener, as written on its record. */
    private static String serviceDefault(String component) {
        RecordComponent[] components = PersisterProperties.Listener.class.getRecordComponents();
        Parameter[] parameters;
        try {
            parameters = PersisterProperties.Listener.class
                    .getDeclaredConstructor(Arrays.stream(components)
                            .map(RecordComponent::getType)
                            .toArray(Class<?>[]::new))
                    .getParameters();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(component)) {
                return parameters[i].getAnnotation(DefaultValue.class).value()[0];
            }
        }
        throw new IllegalArgumentException("no " + component);
    }
}
