package com.kahula.bench.cost;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
                HttpMessage request = HttpMessage.read(in, out, false);
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
                HttpMessage answer = HttpMessage.read(in, out, true);
                if (answer == null) {
                    break;
                }
                if (answer.status() / 100 != 1) {
                    Request request = asked.take();
                    boolean kept = answer.status() / 100 != 2 || keepsAnswer.test(request.action());
                    synchronized (calls) {
                        calls.add(new AwsCall(
                                request.action(),
                                request.body(),
                                answer.status(),
                                kept ? answer.body() : HttpMessage.NONE));
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
}
