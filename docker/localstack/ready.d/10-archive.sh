#!/bin/bash
# LocalStack ready hook: the event archive that ecs/event-persister.yml builds in AWS, bus -> rule -> Firehose -> S3.
# The service provisions its own queue, dead-letter queue, table and queue rule at start-up (local profile); this
# script adds what the service does not know about. Idempotent, so a restarted LocalStack keeps its state.
set -euo pipefail

ENV="${PERSISTER_ENV:-dev}"
ACCOUNT=000000000000
REGION="${AWS_DEFAULT_REGION:-us-east-1}"
BUS="kahula-events-${ENV}"
BUCKET="kahula-events-archive-${ENV}"
STREAM="kahula-events-archive-${ENV}"
RULE="kahula-events-archive-${ENV}"
# LocalStack does not enforce IAM; the roles exist so that the ARNs are the shapes AWS expects.
FIREHOSE_ROLE="arn:aws:iam::${ACCOUNT}:role/kahula-events-archive-firehose"
EVENTS_ROLE="arn:aws:iam::${ACCOUNT}:role/kahula-events-archive-events"

awslocal events describe-event-bus --name "$BUS" >/dev/null 2>&1 || awslocal events create-event-bus --name "$BUS"
awslocal s3api head-bucket --bucket "$BUCKET" 2>/dev/null || awslocal s3api create-bucket --bucket "$BUCKET"
for role in kahula-events-archive-firehose kahula-events-archive-events; do
  awslocal iam get-role --role-name "$role" >/dev/null 2>&1 \
    || awslocal iam create-role --role-name "$role" --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' >/dev/null
done

if ! awslocal firehose describe-delivery-stream --delivery-stream-name "$STREAM" >/dev/null 2>&1; then
  # Same buffering, compression and prefixes as the ECS stack.
  awslocal firehose create-delivery-stream --delivery-stream-name "$STREAM" --delivery-stream-type DirectPut \
    --extended-s3-destination-configuration "{
      \"RoleARN\": \"${FIREHOSE_ROLE}\",
      \"BucketARN\": \"arn:aws:s3:::${BUCKET}\",
      \"Prefix\": \"events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/\",
      \"ErrorOutputPrefix\": \"errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/\",
      \"BufferingHints\": {\"SizeInMBs\": 128, \"IntervalInSeconds\": 900},
      \"CompressionFormat\": \"GZIP\"
    }" >/dev/null
fi
STREAM_ARN="arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${STREAM}"

awslocal events put-rule --name "$RULE" --event-bus-name "$BUS" --event-pattern '{"source":[{"prefix":""}]}' \
  --description "Every event of the bus to the S3 archive" >/dev/null
awslocal events put-targets --rule "$RULE" --event-bus-name "$BUS" \
  --targets "Id=archive,Arn=${STREAM_ARN},RoleArn=${EVENTS_ROLE}" >/dev/null

echo "event archive ready: bus ${BUS} -> rule ${RULE} -> firehose ${STREAM} -> s3://${BUCKET}"
