package com.kahula.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** How each contestant takes {@code --in-flight}, the one limit of messages in flight they all run at. */
final class InFlightLimit {

    private static final String SERVICE_IN_FLIGHT = "--persister.listener.max-concurrent-messages=";

    private InFlightLimit() {}

    /**
     * The contestant's arguments for the limit: the floors' last two arguments (with the service's poll size), the
     * naive's container's {@code max-concurrent-messages}, the service's own. A baseline that sets the service's
     * setting itself runs at that instead, the A/B it is for: given twice as arguments, Spring would join the two
     * values and refuse them.
     */
    static List<String> inFlightArguments(Contestant contestant, BenchOptions options) {
        String inFlight = Integer.toString(options.inFlight());
        return switch (contestant) {
            case FLOOR, FLOOR_FOLLOW_UPS, FLOOR_CONTAINER ->
                List.of(inFlight, Integer.toString(BenchOptions.MESSAGES_PER_POLL));
            case NAIVE -> List.of("--spring.cloud.aws.sqs.listener.max-concurrent-messages=" + inFlight);
            case SERVICE, SERVICE_STORE_ONLY, SERVICE_UNTRACED, SERVICE_TRACED_ALL ->
                List.of(SERVICE_IN_FLIGHT + inFlight);
            case BASELINE -> baselineSetsInFlight(options) ? List.of() : List.of(SERVICE_IN_FLIGHT + inFlight);
        };
    }

    /**
     * Whether the baseline's arguments ({@code --name=value}) or JVM flags ({@code -Dname=value}) set the service's
     * in-flight limit, in any of the forms Spring binds ({@code max-concurrent-messages}, {@code maxConcurrentMessages}).
     */
    static boolean baselineSetsInFlight(BenchOptions options) {
        String setting = canonical(SERVICE_IN_FLIGHT.substring(2, SERVICE_IN_FLIGHT.length() - 1));
        return Stream.concat(
                        options.baselineArguments().stream()
                                .filter(argument -> argument.startsWith("--"))
                                .map(argument -> argument.substring(2)),
                        options.baselineJvmOptions().stream()
                                .filter(option -> option.startsWith("-D"))
                                .map(option -> option.substring(2)))
                .map(property -> canonical(property.split("=", 2)[0]))
                .anyMatch(setting::equals);
    }

    private static String canonical(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }
}
