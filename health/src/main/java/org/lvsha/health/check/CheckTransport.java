package org.lvsha.health.check;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one event-loop group every network probe runs on (epoll where available, NIO otherwise), and the
 * small bounded pool that runs external commands, which block and so must stay off the event loops.
 */
public final class CheckTransport implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends DatagramChannel> datagramChannel;
    private final ExecutorService commandPool;

    private CheckTransport(EventLoopGroup group, Class<? extends SocketChannel> socketChannel,
                           Class<? extends DatagramChannel> datagramChannel, ExecutorService commandPool) {
        this.group = group;
        this.socketChannel = socketChannel;
        this.datagramChannel = datagramChannel;
        this.commandPool = commandPool;
    }

    /** {@code threads} event loops and at most {@code commandThreads} concurrently running commands. */
    public static CheckTransport create(int threads, int commandThreads) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("health-check", true), io);
        ThreadPoolExecutor commands = new ThreadPoolExecutor(commandThreads, commandThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), new DefaultThreadFactory("health-command", true));
        commands.allowCoreThreadTimeOut(true);
        return new CheckTransport(group,
                epoll ? EpollSocketChannel.class : NioSocketChannel.class,
                epoll ? EpollDatagramChannel.class : NioDatagramChannel.class,
                commands);
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    /**
     * Makes the stream channels of probes to {@code target}. With epoll an IPv4 target gets an {@code AF_INET} socket:
     * Netty's default is a dual-stack {@code AF_INET6} socket, which reaches an IPv4 server through the v4-mapped path
     * and costs more kernel time per probe (socket, connect, getsockname), at thousands of probes per second. A lambda
     * rather than Netty's reflective factory, which looks the constructor up on every channel.
     */
    public ChannelFactory<? extends SocketChannel> socketChannelFactory(InetAddress target) {
        if (socketChannel == EpollSocketChannel.class) {
            return target instanceof Inet4Address ? () -> new EpollSocketChannel(SocketProtocolFamily.INET) : EpollSocketChannel::new;
        }
        return NioSocketChannel::new;
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return datagramChannel;
    }

    public ExecutorService commandPool() {
        return commandPool;
    }

    @Override
    public void close() {
        commandPool.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
