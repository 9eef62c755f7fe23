package org.lvsha.dist.realserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real server's HTTP side: {@code GET /} answers with the server's name (body and
 * {@code X-Real-Server} header) so a client sees which real server the director picked;
 * {@code GET /health} answers 200 for health checks; {@code GET /stream?interval=MS} holds the
 * connection open and writes a numbered line every interval until the client goes away, which is
 * what a drill watches to count connections broken by a failover.
 */
final class IdentityHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String SERVER_HEADER = "X-Real-Server";
    static final long MIN_INTERVAL_MS = 10;
    static final long MAX_INTERVAL_MS = 60_000;
    static final long DEFAULT_INTERVAL_MS = 100;

    private final String name;
    /** Once streaming, the connection belongs to the stream: later pipelined requests are ignored. */
    private boolean streaming;

    IdentityHttpHandler(String name) {
        this.name = name;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (streaming) {
            return;
        }
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad request\n", false);
            return;
        }
        if (!HttpMethod.GET.equals(req.method())) {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n", HttpUtil.isKeepAlive(req));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        switch (uri.path()) {
            case "/" -> respond(ctx, req, HttpResponseStatus.OK, name + "\n", keepAlive);
            case "/health" -> respond(ctx, req, HttpResponseStatus.OK, "ok\n", keepAlive);
            case "/stream" -> {
                Long interval = interval(uri.parameters().get("interval"));
                if (interval == null) {
                    respond(ctx, req, HttpResponseStatus.BAD_REQUEST,
                            "interval must be " + MIN_INTERVAL_MS + ".." + MAX_INTERVAL_MS + " ms\n", keepAlive);
                } else {
                    stream(ctx, interval);
                }
            }
            default -> respond(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n", keepAlive);
        }
    }

    private void stream(ChannelHandlerContext ctx, long intervalMs) {
        streaming = true;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(SERVER_HEADER, name);
        ctx.writeAndFlush(head);
        long[] next = {0};
        ScheduledFuture<?> ticker = ctx.executor().scheduleAtFixedRate(() -> {
            // A client that stops reading must not make us buffer without bound in a 64 MB heap:
            // skip the line (the numbers show the gap) until the socket drains.
            if (ctx.channel().isActive() && ctx.channel().isWritable()) {
                ctx.writeAndFlush(new DefaultHttpContent(text(name + " " + next[0] + "\n")));
            }
            next[0]++;
        }, 0, intervalMs, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> ticker.cancel(false));
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body,
                         boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), status, text(body));
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(SERVER_HEADER, name);
        HttpUtil.setContentLength(res, res.content().readableBytes());
        HttpUtil.setKeepAlive(res, keepAlive);
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client resetting its connection is normal in drills; just drop that connection.
        ctx.close();
    }

    static Long interval(List<String> values) {
        if (values == null || values.isEmpty()) {
            return DEFAULT_INTERVAL_MS;
        }
        try {
            long ms = Long.parseLong(values.get(0));
            return ms >= MIN_INTERVAL_MS && ms <= MAX_INTERVAL_MS ? ms : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
