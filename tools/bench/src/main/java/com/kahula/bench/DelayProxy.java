package com.kahula.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP delay line in front of an emulator: every byte a client sends reaches the emulator {@code delay} later, as
 * over a network with that one-way latency, so each request/response round trip costs the delay once, as a call to
 * AWS costs the network's latency (what it costs there: docs/performance.md). Bytes keep their order; a request split
 * over several reads is delayed once, not once per read, because each chunk is due at its own arrival time plus the
 * delay.
 */
final class DelayProxy implements AutoCloseable {

    private static final byte[] END = new byte[0];

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long delayNanos;

    private DelayProxy(ServerSocket server, InetSocketAddress target, long delayNanos) {
        this.server = server;
        this.target = target;
        this.delayNanos = delayNanos;
    }

    static DelayProxy start(URI target, long delayMillis) {
        try {
            var server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            var proxy = new DelayProxy(
                    server,
                    new InetSocketAddress(target.getHost(), target.getPort()),
                    TimeUnit.MILLISECONDS.toNanos(delayMillis));
            Thread.ofVirtual().name("delay-proxy-accept").start(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                backend.setTcpNoDelay(true);
                pipe(client, backend, delayNanos);
                pipe(backend, client, 0);
            } catch (IOException e) {
                // closed, or the backend refused: the client sees its connection drop
            }
        }
    }

    /** Copies {@code from} to {@code to}, each chunk delayed by {@code delay}, on two virtual threads. */
    private static void pipe(Socket from, Socket to, long delay) {
        BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    line.add(new Chunk(System.nanoTime() + delay, Arrays.copyOf(buffer, read)));
                }
            } catch (IOException e) {
                // the connection ended
            }
            line.add(new Chunk(System.nanoTime() + delay, END));
        });
        Thread.ofVirtual().start(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = line.take();
                    long wait = chunk.due() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk.bytes() == END) {
                        break;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException e) {
                // the connection ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
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

    private record Chunk(long due, byte[] bytes) {}
}
