package com.kahula.eventpersister.toolkit;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where the archive is, {@code s3://bucket/prefix}, and its layout below the prefix: Firehose's hourly partitions
 * {@code year=YYYY/month=MM/day=DD/hour=HH/} by arrival time, UTC (ecs/event-persister.yml's {@code Prefix}).
 */
record ArchiveLocation(String bucket, String prefix) {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern(
                    "'year='yyyy/'month='MM/'day='dd/'hour='HH/")
            .withZone(ZoneOffset.UTC);

    ArchiveLocation {
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("the archive needs a bucket");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
    }

    /**
     * Reads {@code s3://bucket/prefix}, e.g. {@code s3://kahula-events-archive-prod-111122223333/events/}.
     *
     * @throws IllegalArgumentException when it is not an s3:// URL with a bucket
     */
    static ArchiveLocation parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL like s3://bucket/events/");
        }
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an S3 location like s3://bucket/events/");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        return new ArchiveLocation(uri.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }

    /** The key prefix of the hour partition that holds {@code hour}. */
    String hourPrefix(Instant hour) {
        return prefix + HOUR.format(hour);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
