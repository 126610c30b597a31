/**
 * The operator's toolkit: commands of the same jar that read a saga, restore the table from the S3 archive, replay
 * stored events onto the bus, and list and send the follow-ups waiting in the outbox, without starting the service.
 */
@NullMarked
package com.kahula.eventpersister.toolkit;

import org.jspecify.annotations.NullMarked;
