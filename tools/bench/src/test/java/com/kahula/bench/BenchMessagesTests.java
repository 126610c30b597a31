package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warm batch and the measured one: two batches, counted together as one. */
class BenchMessagesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWarmAndAMeasuredBatchShareNoEventAndCountAsOneBatchTogether() throws Exception {
        BenchMessages.Batch warm = BenchMessages.warm(400);
        BenchMessages.Batch measured = BenchMessages.measured(300);

        BenchMessages.Batch both = warm.then(measured);

        Set<String> warmBodies = new HashSet<>(warm.bodies());
        assertThat(measured.bodies()).noneMatch(warmBodies::contains);
        assertThat(both.bodies()).hasSize(700).startsWith(warm.bodies().getFirst());
        assertThat(both.bodies().subList(400, 700)).isEqualTo(measured.bodies());
        // counted from the bodies themselves: an exact duplicate is the same body
        assertThat(both.distinct()).isEqualTo(new HashSet<>(both.bodies()).size());
        assertThat(both.followUps()).isEqualTo(followUpTriggers(both.bodies()));
    }

    @Test
    void noBatchAddsNothing() {
        BenchMessages.Batch measured = BenchMessages.measured(300);

        assertThat(BenchMessages.Batch.NONE.then(measured)).isEqualTo(measured);
    }

    private static int followUpTriggers(List<String> bodies) throws Exception {
        int count = 0;
        for (String body : new HashSet<>(bodies)) {
            String detailType = JSON.readTree(body).path("detail-type").asText();
            if (detailType.endsWith("UpdatedEvent") || detailType.endsWith("ValidatedEvent")) {
                count++;
            }
        }
        return count;
    }
}
