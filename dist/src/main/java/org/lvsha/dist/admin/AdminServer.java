package org.lvsha.dist.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.lvsha.dist.daemon.DirectorDaemon;
import org.lvsha.health.policy.AdminState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint (loopback by default: it can move mastership, and it has no authentication of its own).
 *
 * <pre>
 * GET  /status                      JSON (see {@link StatusReport})
 * GET  /metrics                     Prometheus text exposition
 * POST /failover                    planned switchover from this master
 * POST /failover/back               asks the peer's admin endpoint (admin.peer) to switch over back to us
 * POST /reload                      re-read and apply the configuration file (as SIGHUP)
 * POST /drain?service=ID&amp;server=ID   weight 0, connections drain
 * POST /maintenance?service=..&amp;server=..  out of the table
 * POST /enable?service=..&amp;server=..  back to normal
 * </pre>
 *
 * Requests are decoded on one Netty event loop and answered from a separate worker thread, since a reload or a
 * status read waits on the health engine's loop and must not stall the HTTP loop.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final DirectorDaemon daemon;
    private final DirectorMetrics metrics;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lvsha-admin");
        t.setDaemon(true);
        return t;
    });
    private final Channel channel;

    private AdminServer(DirectorDaemon daemon, DirectorMetrics metrics, InetSocketAddress listen) throws InterruptedException {
        this.daemon = daemon;
        this.metrics = metrics;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Handler());
                    }
                });
        channel = b.bind(listen).sync().channel();
    }

    /** Binds {@code listen}; a port in use is an error that names it. */
    public static AdminServer start(DirectorDaemon daemon, DirectorMetrics metrics, InetSocketAddress listen) {
        try {
            AdminServer s = new AdminServer(daemon, metrics, listen);
            LOG.info("admin endpoint on http://{}:{}/", listen.getAddress().getHostAddress(), s.port());
            return s;
        } catch (Exception e) {
            throw new IllegalStateException("admin endpoint: cannot listen on " + listen + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private record Reply(HttpResponseStatus status, String contentType, String body) {
        static Reply json(HttpResponseStatus s, Object node) {
            return new Reply(s, "application/json", node.toString() + "\n");
        }

        static Reply message(HttpResponseStatus s, String key, Object value) {
            ObjectNode o = StatusReport.JSON.createObjectNode();
            o.set(key, StatusReport.JSON.valueToTree(value));
            return json(s, o);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpMethod method = req.method();
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            worker.execute(() -> {
                Reply r;
                try {
                    r = route(method, q.path(), q.parameters());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    r = Reply.message(HttpResponseStatus.CONFLICT, "error", e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn("admin {} {}: {}", method, q.path(), e.toString());
                    r = Reply.message(HttpResponseStatus.INTERNAL_SERVER_ERROR, "error", e.toString());
                }
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(),
                        Unpooled.copiedBuffer(r.body(), StandardCharsets.UTF_8));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType() + "; charset=utf-8");
                HttpUtil.setContentLength(resp, resp.content().readableBytes());
                if (keepAlive) {
                    HttpUtil.setKeepAlive(resp, true);
                    ctx.writeAndFlush(resp);
                } else {
                    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private Reply route(HttpMethod method, String path, Map<String, List<String>> params) {
        boolean get = method.equals(HttpMethod.GET);
        boolean post = method.equals(HttpMethod.POST);
        switch (path) {
            case "/status" -> {
                return get ? Reply.json(HttpResponseStatus.OK, StatusReport.of(daemon)) : notAllowed();
            }
            case "/metrics" -> {
                return get ? new Reply(HttpResponseStatus.OK, "text/plain; version=0.0.4", metrics.scrape()) : notAllowed();
            }
            case "/failover" -> {
                return post ? Reply.message(HttpResponseStatus.OK, "result", daemon.failover()) : notAllowed();
            }
            case "/failover/back" -> {
                if (!post) {
                    return notAllowed();
                }
                InetSocketAddress peer = daemon.config().admin().peer();
                if (peer == null) {
                    throw new IllegalStateException("no admin.peer configured: run 'lvsha failover' on the current master instead");
                }
                AdminClient.Response r = new AdminClient(peer).post("/failover");
                return new Reply(HttpResponseStatus.valueOf(r.status()), "application/json", r.body());
            }
            case "/reload" -> {
                if (!post) {
                    return notAllowed();
                }
                DirectorDaemon.ReloadResult r = daemon.reload();
                ObjectNode o = StatusReport.JSON.createObjectNode();
                o.put("applied", r.applied());
                o.set("messages", StatusReport.JSON.valueToTree(r.messages()));
                return Reply.json(r.applied() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY, o);
            }
            case "/drain", "/maintenance", "/enable" -> {
                if (!post) {
                    return notAllowed();
                }
                String service = one(params, "service");
                String server = one(params, "server");
                AdminState state = switch (path) {
                    case "/drain" -> AdminState.DRAIN;
                    case "/maintenance" -> AdminState.MAINTENANCE;
                    default -> AdminState.NORMAL;
                };
                try {
                    daemon.setAdminState(service, server, state);
                } catch (java.util.concurrent.CompletionException e) {
                    throw new IllegalArgumentException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                }
                return Reply.message(HttpResponseStatus.OK, "result", state + " " + server + " of " + service);
            }
            case "/test/stop-dataplane" -> {
                if (!post) {
                    return notAllowed();
                }
                daemon.stopDataPlaneForTest();
                return Reply.message(HttpResponseStatus.OK, "result", "data plane stopped");
            }
            default -> {
                return Reply.message(HttpResponseStatus.NOT_FOUND, "error", "no such endpoint: " + path);
            }
        }
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty() || v.get(0).isBlank()) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required");
        }
        return v.get(0);
    }

    private static Reply notAllowed() {
        return Reply.message(HttpResponseStatus.METHOD_NOT_ALLOWED, "error", "method not allowed");
    }

    @Override
    public void close() {
        try {
            channel.close().await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
