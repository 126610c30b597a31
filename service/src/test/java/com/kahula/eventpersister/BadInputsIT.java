package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kahula.eventpersister.support.AwsFixture;
import com.kahula.eventpersister.support.BadInputs;
import com.kahula.eventpersister.support.EndToEndTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bad-input corpus through the real listener: every case ends as the corpus says, and nothing stays queued. */
class BadInputsIT extends EndToEndTest {

    @Test
    void everyBadInputIsStoredOrParkedWithItsReasonAndNothingIsLeftQueued() {
        List<BadInputs.Case> corpus = BadInputs.all();

        // one by one: a batch of SendMessageBatch holds 256 KB in all, and some cases are 64 KB each
        corpus.forEach(input -> AWS.sendToQueue(input.body()));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<AwsFixture.DeadLetter> deadLetters = AWS.deadLetters();
            assertThat(corpus).allSatisfy(input -> {
                if (input.expected().isStored()) {
                    assertThat(AWS.row(input.expected().detail()))
                            .as(input.name())
                            .isPresent();
                } else {
                    assertThat(deadLetters)
                            .as(input.name())
                            .filteredOn(letter -> letter.body().equals(input.body()))
                            .singleElement()
                            .extracting(AwsFixture.DeadLetter::reason)
                            .isEqualTo(input.expected().detail());
                }
            });
        });
        // parked at once, each on its first receive: none of them goes round the queue again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> AWS.messagesInFlight() == 0);
        assertThat(AWS.drainQueue()).isEmpty();
    }
}
