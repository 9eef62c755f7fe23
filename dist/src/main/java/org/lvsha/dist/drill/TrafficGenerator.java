package org.lvsha.dist.drill;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.netty.channel.ConnectTimeoutException;

/**
 * Sends a {@link TrafficPlan}'s traffic and records it in a {@link TrafficLog}. One event-loop
 * thread owns every connection and the log (no thread per request, no locks): a 2 ms tick issues
 * whatever requests are due by then (so the rate holds whatever the timer granularity), sends the
 * long-lived connections' lines and declares stalls.
 */
public final class TrafficGenerator {
    /** Header the lab's real servers name themselves with. */
    static final String SERVER_HEADER = "X-Real-Server";
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long STOP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_LINE = 8192;
    private static final int WARM_UP_REQUESTS = 5;
    /** A timer this late, or ticks this far apart, mean the client itself stalled. */
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long WARM_UP_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final TrafficPlan plan;
    private final InetSocketAddress httpAddress;
    private final InetSocketAddress streamAddress;
    private final TrafficLog log;
    private final BooleanSupplier stopRequested;

    // Owned by the event loop from start() on.
    private EventLoop loop;
    private Bootstrap bootstrap;
    private Promise<TrafficLog> done;
    private long startNanos;
    private long endNanos;
    private long nextStopPoll;
    private int issued;
    private long lastTick;
    private int inFlight;
    private int pendingRetries;
    private boolean stopping;
    private final List<LongLivedConnection> connections = new ArrayList<>();
    private ScheduledFuture<?> ticker;
    private java.util.function.LongConsumer onStart = t -> { };

    /** {@code stopRequested} is polled every 100 ms: an early end of the run (the drill's recover step is over). */
    public TrafficGenerator(TrafficPlan plan, TrafficLog log, BooleanSupplier stopRequested) {
        this.plan = plan;
        this.httpAddress = new InetSocketAddress(plan.host(), plan.httpPort());
        this.streamAddress = new InetSocketAddress(plan.host(), plan.streamPort());
        this.log = log;
        this.stopRequested = stopRequested;
        if (httpAddress.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve target host " + plan.host());
        }
    }

    /**
     * Called once on the event loop when the clock starts (after the warm-up), with the start's
     * {@link System#nanoTime()}: what a drill waits for before it counts down to its trigger. Must be quick.
     */
    public TrafficGenerator onStart(java.util.function.LongConsumer callback) {
        this.onStart = callback;
        return this;
    }

    /** The row capacity a log needs for this plan. */
    public static int logCapacity(TrafficPlan plan) {
        long attempts = plan.plannedRequests() * (1L + plan.retries()) + 16;
        long lines = plan.duration().toNanos() / plan.lineInterval().toNanos() + 8;
        long events = (long) plan.longLived() * (lines + 8) + 16;
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(attempts, events));
    }

    /**
     * Runs the plan to its end (duration, request count or stop request, then the in-flight
     * requests' timeouts) and returns the log. Blocks the caller, bounded by the plan's duration
     * plus the longest retry chain plus 10 s.
     */
    public TrafficLog run() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            loop = group.next();
            bootstrap = new Bootstrap().group(loop)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) plan.requestTimeout().toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            // Replaced per connection below; a bootstrap needs some handler.
                        }
                    });
            done = loop.newPromise();
            loop.execute(this::start);
            long bound = plan.duration().toNanos()
                    + (plan.requestTimeout().toNanos() + plan.retryDelay().toNanos()) * (plan.retries() + 1L)
                    + WARM_UP_LIMIT_NANOS + TimeUnit.SECONDS.toNanos(10);
            if (!done.await(bound, TimeUnit.NANOSECONDS)) {
                loop.submit(() -> finish()).await(5, TimeUnit.SECONDS);
            }
            return log;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Before the clock starts: a few unrecorded requests one after the other, then the long-lived
     * connections up and echoing once. A cold JVM loads and compiles the client path on its first
     * requests, which on a busy machine takes hundreds of milliseconds; measured, that would look
     * like an outage of the target. Bounded by {@link #WARM_UP_LIMIT_NANOS} in all.
     */
    private void start() {
        long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
        warmUp(WARM_UP_REQUESTS, deadline);
    }

    private void warmUp(int left, long deadline) {
        if (left == 0 || System.nanoTime() > deadline) {
            for (int i = 0; i < plan.longLived(); i++) {
                LongLivedConnection c = new LongLivedConnection(i);
                connections.add(c);
                c.open();
            }
            awaitLongLived(deadline);
            return;
        }
        ShortRequest r = new ShortRequest(-1, -1, 0);
        r.then = () -> warmUp(left - 1, deadline);
        send(r);
    }

    private void awaitLongLived(long deadline) {
        boolean ready = connections.stream().allMatch(LongLivedConnection::settled);
        if (ready || System.nanoTime() > deadline) {
            begin();
        } else {
            loop.schedule(() -> awaitLongLived(deadline), 5, TimeUnit.MILLISECONDS);
        }
    }

    private void begin() {
        startNanos = System.nanoTime();
        endNanos = startNanos + plan.duration().toNanos();
        nextStopPoll = startNanos + STOP_POLL_NANOS;
        log.markStart(startNanos, System.currentTimeMillis());
        ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
        onStart.accept(startNanos);
    }

    private void tick() {
        long now = System.nanoTime();
        // After a stall of this client, read what arrived meanwhile before declaring stalls.
        boolean late = lastTick != 0 && now - lastTick > LATE_NANOS;
        lastTick = now;
        if (!stopping && now >= nextStopPoll) {
            nextStopPoll = now + STOP_POLL_NANOS;
            stopping = stopRequested.getAsBoolean();
        }
        if (!stopping) {
            // Whatever fell due up to now (or the end), even if this tick came late.
            long elapsed = Math.min(now, endNanos) - startNanos;
            long due = Math.min(plan.plannedRequests(), elapsed / 1000 * plan.rate() / 1_000_000 + 1);
            while (issued < due && !stopping) {
                attempt(issued++, 0);
            }
            if (now >= endNanos || issued >= plan.plannedRequests()) {
                stopping = true;
            }
        }
        for (LongLivedConnection c : connections) {
            c.tick(now, stopping, late);
        }
        if (stopping && inFlight == 0 && pendingRetries == 0) {
            finish();
        }
    }

    private void finish() {
        if (done.isDone()) {
            return;
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        long now = System.nanoTime();
        for (LongLivedConnection c : connections) {
            c.finish(now);
        }
        log.markEnd(now);
        done.trySuccess(log);
    }

    private void attempt(int request, int number) {
        long t0 = System.nanoTime();
        int row = log.beginAttempt(request, number, t0);
        if (row < 0) {
            stopping = true;
            return;
        }
        inFlight++;
        send(new ShortRequest(row, request, number));
    }

    private void send(ShortRequest r) {
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_LINE), r);
            }
        }).connect(httpAddress);
        r.channel = f.channel();
        long deadline = System.nanoTime() + plan.requestTimeout().toNanos();
        r.timeout = loop.schedule(() -> expire(r, deadline), plan.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        f.addListener(x -> {
            if (!x.isSuccess()) {
                r.complete(classify(x.cause()), TrafficLog.NO_SERVER);
            }
        });
    }

    /**
     * A timeout that fires late means this client's own event loop was stalled (GC, a loaded
     * machine); the answer may be sitting unread in the socket. One short grace lets the loop read
     * it first, so a client pause is not reported as a failure of the target.
     */
    private void expire(ShortRequest r, long deadline) {
        if (System.nanoTime() - deadline > LATE_NANOS && !r.graced) {
            r.graced = true;
            r.timeout = loop.schedule(() -> expire(r, deadline), LATE_NANOS, TimeUnit.NANOSECONDS);
            return;
        }
        r.complete(RequestOutcome.TIMEOUT, TrafficLog.NO_SERVER);
    }

    static RequestOutcome classify(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return RequestOutcome.TIMEOUT;
        }
        if (cause instanceof NoRouteToHostException) {
            return RequestOutcome.UNREACHABLE;
        }
        if (cause instanceof ClosedChannelException) {
            return RequestOutcome.RESET;
        }
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("refused")) {
            return RequestOutcome.REFUSED;
        }
        if (m.contains("unreachable") || m.contains("no route")) {
            return RequestOutcome.UNREACHABLE;
        }
        if (m.contains("reset") || m.contains("broken pipe")) {
            return RequestOutcome.RESET;
        }
        if (m.contains("timed out")) {
            return RequestOutcome.TIMEOUT;
        }
        return cause instanceof ConnectException ? RequestOutcome.REFUSED : RequestOutcome.ERROR;
    }

    /** One GET on its own connection; completes its log row exactly once. */
    private final class ShortRequest extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final int row;
        private final int request;
        private final int number;
        Channel channel;
        ScheduledFuture<?> timeout;
        boolean graced;
        /** A warm-up request (row -1) is not recorded; this runs when it is over. */
        Runnable then;
        private boolean warmUpDone;

        ShortRequest(int row, int request, int number) {
            this.row = row;
            this.request = request;
            this.number = number;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            FullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
            get.headers().set(HttpHeaderNames.HOST, plan.httpTarget())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.USER_AGENT, "lvsha-drill");
            ctx.writeAndFlush(get);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            short server = log.server(res.headers().get(SERVER_HEADER));
            complete(res.status().code() == 200 ? RequestOutcome.OK : RequestOutcome.HTTP_ERROR, server);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            complete(RequestOutcome.RESET, TrafficLog.NO_SERVER);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            complete(classify(cause), TrafficLog.NO_SERVER);
        }

        void complete(RequestOutcome outcome, short server) {
            if (row < 0) {
                if (!warmUpDone) {
                    warmUpDone = true;
                    cancel();
                    then.run();
                }
                return;
            }
            if (!log.finishAttempt(row, System.nanoTime(), outcome, server)) {
                return;
            }
            inFlight--;
            cancel();
            if (!outcome.ok() && number < plan.retries()) {
                pendingRetries++;
                loop.schedule(() -> {
                    pendingRetries--;
                    attempt(request, number + 1);
                }, plan.retryDelay().toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void cancel() {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
        }
    }

    /**
     * A connection to the echo service that sends line {@code seq} every line interval, one line
     * outstanding at a time, and checks that each echo is {@code SERVER seq} from the same server.
     * Broken connections are not reopened: the drill counts connections that survive.
     */
    private final class LongLivedConnection extends SimpleChannelInboundHandler<ByteBuf> {
        private final int id;
        private Channel channel;
        private boolean active;
        private boolean ended;
        private boolean stalled;
        private int seq;
        private boolean outstanding;
        private long sentAt;
        private long nextSend;
        private short server = TrafficLog.NO_SERVER;

        LongLivedConnection(int id) {
            this.id = id;
        }

        /** Connected and echoed once, or failed: either way the run can start. */
        boolean settled() {
            return ended || (active && seq >= 1 && !outstanding);
        }

        void open() {
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, true, true), LongLivedConnection.this);
                }
            }).connect(streamAddress);
            channel = f.channel();
            f.addListener(x -> {
                if (!x.isSuccess()) {
                    ended = true;
                    log.event(System.nanoTime(), id, StreamEvent.CONNECT_FAILED, TrafficLog.NO_SERVER, -1, 0);
                }
            });
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
            long now = System.nanoTime();
            log.event(now, id, StreamEvent.CONNECTED, TrafficLog.NO_SERVER, -1, 0);
            send(now);
        }

        void tick(long now, boolean stopping, boolean late) {
            if (!active || ended) {
                return;
            }
            if (outstanding) {
                if (!stalled && !late && now - sentAt > plan.stallThreshold().toNanos()) {
                    stalled = true;
                    log.event(now, id, StreamEvent.STALL, server, seq, now - sentAt);
                }
            } else if (!stopping && now >= nextSend) {
                send(now);
            }
        }

        private void send(long now) {
            seq++;
            outstanding = true;
            sentAt = now;
            nextSend = now + plan.lineInterval().toNanos();
            channel.writeAndFlush(Unpooled.copiedBuffer(seq + "\n", StandardCharsets.US_ASCII));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            long now = System.nanoTime();
            String text = line.toString(StandardCharsets.UTF_8);
            int sp = text.lastIndexOf(' ');
            String name = sp < 0 ? "" : text.substring(0, sp);
            int got;
            try {
                got = Integer.parseInt(text.substring(sp + 1));
            } catch (NumberFormatException e) {
                got = -1;
            }
            short s = log.server(name);
            if (!outstanding || got != seq) {
                log.event(now, id, StreamEvent.BAD_ECHO, s, got, now - sentAt);
                return;
            }
            outstanding = false;
            if (server != TrafficLog.NO_SERVER && s != server) {
                log.event(now, id, StreamEvent.SERVER_CHANGED, s, seq, now - sentAt);
            } else {
                log.event(now, id, stalled ? StreamEvent.RESUMED : StreamEvent.ECHO, s, seq, now - sentAt);
            }
            server = s;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!ended) {
                ended = true;
                log.event(System.nanoTime(), id, StreamEvent.CLOSED, server, seq, 0);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!ended) {
                ended = true;
                RequestOutcome o = classify(cause);
                log.event(System.nanoTime(), id, o == RequestOutcome.RESET ? StreamEvent.RESET : StreamEvent.CLOSED,
                        server, seq, 0);
            }
            ctx.close();
        }

        void finish(long now) {
            if (active && !ended) {
                ended = true;
                log.event(now, id, StreamEvent.FINISHED, server, seq, 0);
            }
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** For messages: the plan's duration as the CLI writes it. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
}
