package com.kahula.bench.cost;

import java.util.Map;

/**
 * Write units and read units (in halves) by target ({@link DynamoDbUnits#TABLE} or an index's name), the requests by operation,
 * and the bytes stored at the end (each item with DynamoDB's 100 bytes of overhead, and each index entry).
 */
public record TableUnits(
        Map<String, Long> writeUnits, Map<String, Long> readHalfUnits, Map<String, Long> requests, long storedBytes) {

    public TableUnits {
        writeUnits = Map.copyOf(writeUnits);
        readHalfUnits = Map.copyOf(readHalfUnits);
        requests = Map.copyOf(requests);
    }

    public long totalWriteUnits() {
        return writeUnits.values().stream().mapToLong(Long::longValue).sum();
    }

    public double totalReadUnits() {
        return readHalfUnits.values().stream().mapToLong(Long::longValue).sum() / 2.0;
    }
}
