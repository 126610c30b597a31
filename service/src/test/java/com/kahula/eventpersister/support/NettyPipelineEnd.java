package com.kahula.eventpersister.support;

import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Exceptions that no handler of a Netty channel's pipeline takes, as the SDK's Netty client leaves its "Request
 * cancelled" once it has abandoned a request: Netty's pipeline logs each at its end, through the logging in place.
 */
public final class NettyPipelineEnd {

    private NettyPipelineEnd() {}

    /** The exception the SDK's {@code FutureCancelHandler} sends down the pipeline, with its top frame. */
    public static IOException requestCancelled() {
        IOException cancelled = new IOException("Request cancelled");
        cancelled.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(
                    "software.amazon.awssdk.http.nio.netty.internal.FutureCancelHandler",
                    "exceptionCaught",
                    "FutureCancelHandler.java",
                    63)
        });
        return cancelled;
    }

    /**
     * Fires {@code exception} down a registered channel's empty pipeline; returns what reached the pipeline's end,
     * once Netty has logged it there.
     */
    public static Throwable fire(Throwable exception) throws Exception {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            CompletableFuture<Throwable> reachedTheEnd = new CompletableFuture<>();
            Channel channel = new NioSocketChannel() {
                @Override
                protected DefaultChannelPipeline newChannelPipeline() {
                    return new DefaultChannelPipeline(this) {
                        @Override
                        protected void onUnhandledInboundException(Throwable cause) {
                            super.onUnhandledInboundException(cause);
                            reachedTheEnd.complete(cause);
                        }
                    };
                }
            };
            loop.register(channel).sync();
            channel.pipeline().fireExceptionCaught(exception);
            Throwable reached = reachedTheEnd.get(10, TimeUnit.SECONDS);
            channel.close().sync();
            return reached;
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
