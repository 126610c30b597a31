package com.kahula.eventpersister.followup;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.aws.AwsErrors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** How the bus's answer about one entry it did not accept is classified, like the error of a refused call. */
class EventBridgeFollowUpPublisherTests {

    @Test
    void anEntryRefusedForWantOfPermissionIsTheServicesFaultWithTheBusesWords() {
        Throwable refusal = EventBridgeFollowUpPublisher.refusal(entry("NotAuthorizedForSourceException"));

        assertThat(AwsErrors.classify(refusal)).isEqualTo(AwsErrors.Kind.ABOUT_THE_SERVICE);
        assertThat(AwsErrors.message(refusal)).isEqualTo("NotAuthorizedForSourceException: refused");
    }

    @Test
    void aThrottledOrFailedEntryIsTransient() {
        assertThat(AwsErrors.classify(EventBridgeFollowUpPublisher.refusal(entry("ThrottlingException"))))
                .isEqualTo(AwsErrors.Kind.TRANSIENT);
        assertThat(AwsErrors.classify(EventBridgeFollowUpPublisher.refusal(entry("InternalFailure"))))
                .isEqualTo(AwsErrors.Kind.TRANSIENT);
        assertThat(AwsErrors.isOutage(EventBridgeFollowUpPublisher.refusal(entry("InternalFailure"))))
                .isTrue();
    }

    @Test
    void anEntryTheBusDidNotAnswerForIsTransient() {
        assertThat(AwsErrors.classify(EventBridgeFollowUpPublisher.refusal(null)))
                .isEqualTo(AwsErrors.Kind.TRANSIENT);
    }

    private static PutEventsResultEntry entry(String errorCode) {
        return PutEventsResultEntry.builder()
                .errorCode(errorCode)
                .errorMessage("refused")
                .build();
    }
}
