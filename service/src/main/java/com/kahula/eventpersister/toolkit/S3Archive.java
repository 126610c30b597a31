package com.kahula.eventpersister.toolkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The archive in S3 as Firehose writes it: GZIP objects of newline-delimited envelopes. */
final class S3Archive implements Archive {

    private final S3Client s3;
    private final String bucket;

    S3Archive(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    @Override
    public BufferedReader lines(String key) {
        InputStream object = s3.getObject(request -> request.bucket(bucket).key(key));
        try {
            return new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(object, 64 * 1024), StandardCharsets.UTF_8));
        } catch (IOException e) {
            try {
                object.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw new UncheckedIOException("object " + key + " is not GZIP", e);
        }
    }
}
