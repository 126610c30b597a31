package com.kahula.eventpersister.listener;

/** Hears what becomes of each batch and message, for metrics and logs; the pipeline's decisions never depend on it. */
public interface OutcomeListener {

    /** A poll returned {@code size} messages. */
    void received(int size);

    /** A message came to {@code outcome}, {@code startedNanos} ({@link System#nanoTime()}) after its batch arrived. */
    void finished(Outcome outcome, long startedNanos);
}
