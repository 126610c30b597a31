package com.kahula.eventpersister.toolkit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Shard {@code index} of {@code count}: the hour partitions whose hour since the epoch is {@code index - 1} mod count. */
record Shard(int index, int count) {

    Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("must be i/n with 1 <= i <= n, was " + index + "/" + count);
        }
    }

    /**
     * Reads {@code i/n}.
     *
     * @throws IllegalArgumentException when it is not
     */
    static Shard parse(String text) {
        String[] parts = text.split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("must be i/n, like 2/4, was '" + text + "'");
    }

    boolean takes(Instant hour) {
        long hoursSinceEpoch =
                hour.getEpochSecond() / ChronoUnit.HOURS.getDuration().getSeconds();
        return Math.floorMod(hoursSinceEpoch, count) == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
