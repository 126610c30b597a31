package com.kahula.eventpersister.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Packs items, in their order, into batches of at most {@code maxEntries} items and {@code maxBytes} bytes together,
 * as an AWS batch call (PutEvents, SendMessageBatch) takes them. An item larger than {@code maxBytes} is neither
 * dropped nor split: it makes a batch of its own, for the call to accept or refuse.
 */
public final class Batcher<T> {

    private final int maxEntries;
    private final long maxBytes;
    private final ToLongFunction<? super T> sizeOf;
    private final List<T> open = new ArrayList<>();
    private long openBytes;

    public Batcher(int maxEntries, long maxBytes, ToLongFunction<? super T> sizeOf) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.sizeOf = sizeOf;
    }

    /** All of {@code items} in batches, in their order; no batch is empty. */
    public static <T> List<List<T>> split(
            List<? extends T> items, int maxEntries, long maxBytes, ToLongFunction<? super T> sizeOf) {
        Batcher<T> batcher = new Batcher<>(maxEntries, maxBytes, sizeOf);
        List<List<T>> batches = new ArrayList<>();
        for (T item : items) {
            List<T> closed = batcher.add(item);
            if (!closed.isEmpty()) {
                batches.add(closed);
            }
        }
        List<T> last = batcher.rest();
        if (!last.isEmpty()) {
            batches.add(last);
        }
        return batches;
    }

    /**
     * Adds {@code item} to the open batch. When it does not fit there (the batch is full, or is not empty and would
     * grow beyond {@code maxBytes}), first closes that batch and returns it, to be sent before {@code item}; otherwise
     * returns an empty list.
     */
    public List<T> add(T item) {
        long bytes = sizeOf.applyAsLong(item);
        List<T> closed = List.of();
        if (open.size() == maxEntries || (!open.isEmpty() && openBytes + bytes > maxBytes)) {
            closed = rest();
        }
        open.add(item);
        openBytes += bytes;
        return closed;
    }

    /** Closes the open batch and returns it: what is left to send after the last item, or an empty list. */
    public List<T> rest() {
        List<T> closed = List.copyOf(open);
        open.clear();
        openBytes = 0;
        return closed;
    }
}
