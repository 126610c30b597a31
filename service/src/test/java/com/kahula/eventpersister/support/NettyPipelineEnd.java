package com.kahula.eventpersister.support;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An exception that no handler of a Netty channel's pipeline takes, as the SDK's Netty client leaves its "Request
 * cancelled" after some failed requests: Netty's pipeline logs it at its end, at the level the logging allows.
 */
public final class NettyPipelineEnd {

    private NettyPipelineEnd() {}

    /**
     * Fires {@code exception} down a registered channel's pipeline; returns what its last handler passed on to the
     * pipeline's end, once it has.
     */
    public static Throwable fire(Throwable exception) throws Exception {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new NioSocketChannel();
            CompletableFuture<Throwable> passedOn = new CompletableFuture<>();
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                    context.fireExceptionCaught(cause);
                    passedOn.complete(cause);
                }
            });
            loop.register(channel).sync();
            channel.pipeline().fireExceptionCaught(exception);
            Throwable passed = passedOn.get(10, TimeUnit.SECONDS);
            channel.close().sync();
            return passed;
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
