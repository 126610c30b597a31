package com.kahula.bench.cost;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy in front of one AWS endpoint that records every call passing through it ({@link AwsCall}), so that
 * what a contestant asked of AWS is counted on the wire, the same way for every contestant, whatever its code. Bytes
 * pass unchanged; each request and its answer are framed by their {@code Content-Length} or chunked encoding (the AWS
 * SDK sends one request at a time per connection, so answers come in the order of the requests).
 */
public final class AwsCallRecorder implements AutoCloseable {

    private static final byte[] NONE = new byte[0];

    private final ServerSocket server;
    private final URI target;
    private final Predicate<String> keepsAnswer;
    private final List<AwsCall> calls = new ArrayList<>();

    private AwsCallRecorder(ServerSocket server, URI target, Predicate<String> keepsAnswer) {
        this.server = server;
        this.target = target;
        this.keepsAnswer = keepsAnswer;
    }

    /**
     * Starts a recorder in front of {@code target}; {@code keepsAnswer} says by action which answers' bodies are kept
     * (an answer that is not a success is always kept: it says why).
     */
    public static AwsCallRecorder start(URI target, Predicate<String> keepsAnswer) {
        try {
            var server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            var recorder = new AwsCallRecorder(server, target, keepsAnswer);
            Thread.ofVirtual().name("aws-call-recorder-accept").start(recorder::accept);
            return recorder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The calls answered since the last {@link #take()}, in the order of their answers; forgets them. */
    public List<AwsCall> take() {
        synchronized (calls) {
            List<AwsCall> taken = List.copyOf(calls);
            calls.clear();
            return taken;
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                continue; // closed: the loop ends
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket backend;
        try {
            backend = new Socket(target.getHost(), target.getPort());
            client.setTcpNoDelay(true);
            backend.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client); // the backend refused: the client sees its connection drop
            return;
        }
        BlockingQueue<Request> asked = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> requests(client, backend, asked));
        Thread.ofVirtual().start(() -> answers(backend, client, asked));
    }

    private void requests(Socket client, Socket backend, BlockingQueue<Request> asked) {
        try (InputStream in = new BufferedInputStream(client.getInputStream());
                OutputStream out = backend.getOutputStream()) {
            while (true) {
                Message request = Message.read(in, out, false);
                if (request == null) {
                    break;
                }
                asked.add(new Request(request.header("x-amz-target"), request.body()));
                out.write(request.unsent());
                out.flush();
            }
        } catch (IOException e) {
            // the connection ended
        } catch (RuntimeException e) {
            System.err.println("aws-call-recorder: a request it could not frame, connection dropped: " + e);
        } finally {
            closeQuietly(client);
            closeQuietly(backend);
        }
    }

    private void answers(Socket backend, Socket client, BlockingQueue<Request> asked) {
        try (InputStream in = new BufferedInputStream(backend.getInputStream());
                OutputStream out = client.getOutputStream()) {
            while (true) {
                Message answer = Message.read(in, out, true);
                if (answer == null) {
                    break;
                }
                if (answer.status() / 100 != 1) {
                    Request request = asked.take();
                    boolean kept = answer.status() / 100 != 2 || keepsAnswer.test(request.action());
                    synchronized (calls) {
                        calls.add(new AwsCall(
                                request.action(), request.body(), answer.status(), kept ? answer.body() : NONE));
                    }
                }
                // recorded before the caller has any of its answer; an interim answer (100 Continue) is passed on
                out.write(answer.unsent());
                out.flush();
            }
        } catch (IOException e) {
            // the connection ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("aws-call-recorder: an answer it could not frame, connection dropped: " + e);
        } finally {
            closeQuietly(client);
            closeQuietly(backend);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private record Request(String action, byte[] body) {}

    /**
     * One HTTP/1.1 message: its status (of an answer), its header lines, its body (without the chunks' framing), and the
     * bytes read that are still to be passed on.
     */
    private record Message(int status, List<String> headers, byte[] body, byte[] unsent) {

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
        static Message read(InputStream in, OutputStream out, boolean answer) throws IOException {
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
            Message head = new Message(status, lines.subList(1, lines.size()), NONE, NONE);
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
            return new Message(status, head.headers(), body, raw.toByteArray());
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
}
