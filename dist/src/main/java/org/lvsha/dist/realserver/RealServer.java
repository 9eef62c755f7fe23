package org.lvsha.dist.realserver;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's built-in real server: HTTP that reports the server's identity and can hold a stream
 * ({@link IdentityHttpHandler}) and a line echo prefixed with the identity for long-lived TCP
 * connections ({@link PrefixedEchoHandler}). One event-loop thread is plenty for a lab and keeps
 * the JVM small, since a lab runs one of these per real server.
 */
public final class RealServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealServer.class);
    /** Longest line the echo service accepts; longer ones close the connection. */
    static final int MAX_LINE = 8192;

    private final String name;
    private final EventLoopGroup group;
    private final List<Channel> channels;

    private RealServer(String name, EventLoopGroup group, List<Channel> channels) {
        this.name = name;
        this.group = group;
        this.channels = channels;
    }

    /**
     * Binds HTTP and the echo service on every listen address. Port 0 picks a free port (tests);
     * the wildcard {@code ::} is dual-stack on Linux, so it serves the IPv4 RIP and VIP too.
     */
    public static RealServer start(String name, List<InetAddress> listen, int httpPort, int streamPort)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        if (!epoll) {
            log.warn("epoll unavailable ({}), serving with NIO", Epoll.unavailabilityCause().toString());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        List<Channel> bound = new ArrayList<>();
        try {
            for (InetAddress address : listen) {
                // The echo port first: once HTTP answers (what the lab waits for) both are up.
                bound.add(bind(group, channelType, new InetSocketAddress(address, streamPort), new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, true, true), new PrefixedEchoHandler(name));
                    }
                }));
                bound.add(bind(group, channelType, new InetSocketAddress(address, httpPort), new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_LINE),
                                new IdentityHttpHandler(name));
                    }
                }));
            }
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return new RealServer(name, group, bound);
    }

    private static Channel bind(EventLoopGroup group, Class<? extends ServerChannel> type, SocketAddress at,
                                ChannelInitializer<SocketChannel> init) throws InterruptedException {
        var future = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init)
                .bind(at)
                .await();
        if (!future.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + at + ": " + future.cause().getMessage(), future.cause());
        }
        return future.channel();
    }

    public String name() {
        return name;
    }

    /** Bound addresses, echo port first then HTTP for each listen address. */
    public List<InetSocketAddress> boundAddresses() {
        return channels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** Returns when the server is closed (by {@link #close()} or the JVM shutting down). */
    public void awaitClose() throws InterruptedException {
        for (Channel c : channels) {
            c.closeFuture().await();
        }
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
