#!/bin/bash
# LocalStack ready hook: the event archive that ecs/event-persister.yml builds in AWS, bus -> rule -> Firehose -> S3.
# The service provisions its own queue, dead-letter queue, table and queue rule at start-up (local profile); this
# script adds what the service does not know about. Idempotent, so a restarted LocalStack keeps its state.
# Compose's health check needs the marker this script leaves only when every step succeeded (set -e): LocalStack's
# own init endpoint reports the hooks completed even when one failed.
set -euo pipefail
MARKER="${ARCHIVE_READY_MARKER:-/tmp/event-archive.ready}"
rm -f "$MARKER"

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
  # The ECS stack's configuration. LocalStack's Firehose applies little of it: it writes each PutRecord(Batch) to S3
  # at once as one uncompressed object, ignores the buffering hints, GZIP, the delimiter processor and the error
  # prefix, and puts its own YYYY/MM/DD/HH/ after the prefix, whose !{timestamp:...} it leaves as written (README).
  awslocal firehose create-delivery-stream --delivery-stream-name "$STREAM" --delivery-stream-type DirectPut \
    --extended-s3-destination-configuration "{
      \"RoleARN\": \"${FIREHOSE_ROLE}\",
      \"BucketARN\": \"arn:aws:s3:::${BUCKET}\",
      \"Prefix\": \"events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/\",
      \"ErrorOutputPrefix\": \"errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/\",
      \"BufferingHints\": {\"SizeInMBs\": 128, \"IntervalInSeconds\": 900},
      \"CompressionFormat\": \"GZIP\",
      \"ProcessingConfiguration\": {\"Enabled\": true, \"Processors\": [{\"Type\": \"AppendDelimiterToRecord\"}]}
    }" >/dev/null
fi
STREAM_ARN="arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${STREAM}"

awslocal events put-rule --name "$RULE" --event-bus-name "$BUS" --event-pattern '{"source":[{"prefix":""}]}' \
  --description "Every event of the bus to the S3 archive" >/dev/null
awslocal events put-targets --rule "$RULE" --event-bus-name "$BUS" \
  --targets "Id=archive,Arn=${STREAM_ARN},RoleArn=${EVENTS_ROLE}" >/dev/null

touch "$MARKER"
echo "event archive ready: bus ${BUS} -> rule ${RULE} -> firehose ${STREAM} -> s3://${BUCKET}"
