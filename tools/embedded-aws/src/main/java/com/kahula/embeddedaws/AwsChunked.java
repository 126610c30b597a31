package com.kahula.embeddedaws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Decodes the {@code aws-chunked} upload encoding of the SDKs and the AWS CLI back to the data it frames. */
final class AwsChunked {

    private AwsChunked() {}

    /** The data of an {@code aws-chunked} body: chunks of {@code <hex size>[;extensions]\r\n<data>\r\n} to size 0. */
    static byte[] decode(byte[] body) {
        var data = new ByteArrayOutputStream(body.length);
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrLf(body, at);
            var header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";", 2)[0].strip(), 16);
            if (size == 0) {
                return data.toByteArray();
            }
            data.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOfCrLf(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("aws-chunked body without a chunk header at byte " + from);
    }
}
