package com.kahula.bench.cost;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 message: its status (of an answer), its header lines, its body (without the chunks' framing), and the
 * bytes read that are still to be passed on.
 */
record HttpMessage(int status, List<String> headers, byte[] body, byte[] unsent) {

    static final byte[] NONE = new byte[0];

    String header(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String header : headers) {
            if (header.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return header.substring(prefix.length()).trim();
            }
        }
        return "";
    }

    /**
     * The next message of {@code in}, whole, nothing of it written yet but its head when the sender waits for an
     * interim answer ({@code Expect: 100-continue}), which goes to {@code out} at once; null when {@code in} ended
     * between messages.
     */
    static HttpMessage read(InputStream in, OutputStream out, boolean answer) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        String first = line(in, raw, true);
        if (first == null) {
            return null;
        }
        for (String line = first; !line.isEmpty(); line = line(in, raw, false)) {
            lines.add(line);
        }
        int status = answer ? Integer.parseInt(lines.getFirst().split(" ")[1]) : 0;
        HttpMessage head = new HttpMessage(status, lines.subList(1, lines.size()), NONE, NONE);
        if (!answer && head.header("expect").equalsIgnoreCase("100-continue")) {
            raw.writeTo(out);
            out.flush();
            raw.reset();
        }
        byte[] body;
        if (head.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked(in, raw);
        } else if (!head.header("content-length").isEmpty() && status / 100 != 1) {
            body = exactly(in, Integer.parseInt(head.header("content-length")));
            raw.write(body);
        } else {
            body = NONE; // no body: neither a length nor chunks
        }
        return new HttpMessage(status, head.headers(), body, raw.toByteArray());
    }

    private static byte[] chunked(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in, raw, false).split(";")[0].trim(), 16);
            if (size == 0) {
                while (!line(in, raw, false).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = exactly(in, size);
            raw.write(chunk);
            body.write(chunk);
            line(in, raw, false);
        }
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the connection ended within a body");
        }
        return bytes;
    }

    /** The next line without its CRLF, copied to {@code raw}; null if {@code in} ended before it and may. */
    private static String line(InputStream in, ByteArrayOutputStream raw, boolean mayEnd) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                if (mayEnd && line.size() == 0 && previous < 0) {
                    return null;
                }
                throw new EOFException("the connection ended within a message");
            }
            raw.write(next);
            if (previous == '\r' && next == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            if (next != '\r') {
                line.write(next);
            }
            previous = next;
        }
    }
}
