package com.kahula.eventpersister;

import com.kahula.eventpersister.support.LocalStackEndToEndTest;

/**
 * The end-to-end scenarios of the pipeline and the follow-ups on LocalStack, in Docker; skipped where Docker is not
 * available. Fault injection and pausing DynamoDB need the embedded stack and stay there.
 */
class LocalStackIT extends LocalStackEndToEndTest implements EventPersistenceScenarios, FollowUpScenarios {}
