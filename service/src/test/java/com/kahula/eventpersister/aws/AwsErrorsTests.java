package com.kahula.eventpersister.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.aws.AwsErrors.Kind;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

class AwsErrorsTests {

    @Test
    void anItemTheStoreRefusesIsAboutTheMessage() {
        DynamoDbException validation =
                dynamoDb(400, "ValidationException", "Hash primary key values must be under 2048 bytes");

        assertThat(AwsErrors.classify(new CompletionException(validation))).isEqualTo(Kind.ABOUT_THE_MESSAGE);
        assertThat(AwsErrors.message(validation))
                .isEqualTo("ValidationException: Hash primary key values must be under 2048 bytes");
    }

    @Test
    void noPermissionOrAMissingResourceIsAboutTheService() {
        assertThat(AwsErrors.classify(dynamoDb(400, "AccessDeniedException", "not authorized")))
                .isEqualTo(Kind.ABOUT_THE_SERVICE);
        assertThat(AwsErrors.classify(dynamoDb(400, "ResourceNotFoundException", "no table")))
                .isEqualTo(Kind.ABOUT_THE_SERVICE);
        assertThat(AwsErrors.classify(QueueDoesNotExistException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("AWS.SimpleQueueService.NonExistentQueue")
                                .build())
                        .build()))
                .isEqualTo(Kind.ABOUT_THE_SERVICE);
        assertThat(AwsErrors.classify(new IllegalStateException("a bug"))).isEqualTo(Kind.ABOUT_THE_SERVICE);
    }

    @Test
    void throttlingServerErrorsAndLostConnectionsAreTransient() {
        assertThat(AwsErrors.classify(dynamoDb(400, "ProvisionedThroughputExceededException", "slow down")))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(AwsErrors.classify(EventBridgeException.builder()
                        .statusCode(503)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ServiceUnavailable")
                                .build())
                        .build()))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(AwsErrors.classify(new CompletionException(SdkClientException.create("connection reset"))))
                .isEqualTo(Kind.TRANSIENT);
        assertThat(AwsErrors.isOutage(dynamoDb(400, "ThrottlingException", "slow down")))
                .isFalse();
    }

    private static DynamoDbException dynamoDb(int status, String code, String message) {
        return (DynamoDbException) DynamoDbException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .build();
    }
}
