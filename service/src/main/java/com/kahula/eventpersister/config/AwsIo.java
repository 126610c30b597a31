package com.kahula.eventpersister.config;

import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

/**
 * The one Netty event loop of the service's AWS clients, of {@code persister.aws.io-threads} threads, in place of the
 * SDK's default group of two threads per processor, which every Netty client of the JVM shares: one thread costs less
 * CPU per event (docs/performance.md, "One I/O thread"). The clients do not close it (the SDK leaves a loop it is given
 * to its owner); this bean does.
 */
final class AwsIo implements AutoCloseable {

    private static final String THREAD_PREFIX = "aws-io-";
    /** The SDK's default of a client's connections to one endpoint. */
    static final int SDK_DEFAULT_CONNECTIONS = 50;

    private final SdkEventLoopGroup loop;

    AwsIo(int threads) {
        this.loop = SdkEventLoopGroup.builder()
                .numberOfThreads(threads)
                .threadFactory(
                        Thread.ofPlatform().name(THREAD_PREFIX, 0).daemon().factory())
                .build();
    }

    /** A client's HTTP client on this event loop, with {@code maxConcurrency} connections to each endpoint. */
    NettyNioAsyncHttpClient.Builder httpClient(int maxConcurrency) {
        return NettyNioAsyncHttpClient.builder().eventLoopGroup(loop).maxConcurrency(maxConcurrency);
    }

    /**
     * Lets the loop end once nothing has come to it for two seconds, without waiting for that. Spring closes the clients
     * before it, as it closes beans in the reverse of the order it made them, and each client is made after it.
     */
    @Override
    public void close() {
        loop.eventLoopGroup().shutdownGracefully(2, 15, TimeUnit.SECONDS);
    }
}
