package org.lvsha.health.check;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.lvsha.health.config.HttpCheck;

/**
 * HTTP/1.1 or HTTPS request; up when the complete response arrives before the caller's timeout with an
 * accepted status and body. The timeout bounds the whole exchange, so a server that dribbles its response
 * fails like one that never answers.
 */
public final class HttpChecker implements Checker {
    private final CheckTransport transport;
    private final CheckTarget target;
    private final HttpCheck spec;
    private final Pattern bodyPattern;
    private final byte[] expectedDigest;
    private final SslContext ssl;
    private final HttpMethod method;

    public HttpChecker(CheckTransport transport, CheckTarget target, HttpCheck spec) {
        this.transport = transport;
        this.target = target;
        this.spec = spec;
        this.bodyPattern = spec.bodyRegex() == null ? null : Pattern.compile(spec.bodyRegex());
        this.expectedDigest = spec.bodyDigest() == null ? null : HexFormat.of().parseHex(spec.bodyDigest().toLowerCase(Locale.ROOT));
        this.ssl = spec.tls() ? TlsClientContexts.client(spec.verifyTls(), spec.caFile()) : null;
        this.method = HttpMethod.valueOf(spec.method());
        digest(); // fail at configuration time on an unknown algorithm
    }

    @Override
    public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        return ChannelProbe.tcp(transport, loop, target, timeout, true, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (ssl != null) {
                    ch.pipeline().addLast(ssl.newHandler(ch.alloc(), target.hostName(), target.address().getPort()));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(spec.maxBodyBytes()), new Exchange(result));
            }
        }, result);
    }

    @Override
    public String describe() {
        return spec.describe() + " " + target.hostPort();
    }

    private MessageDigest digest() {
        try {
            return MessageDigest.getInstance(spec.digestAlgorithm());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest " + spec.digestAlgorithm(), e);
        }
    }

    CheckResult judge(FullHttpResponse response) {
        int status = response.status().code();
        if (!spec.statusAccepted(status)) {
            return CheckResult.down(FailureReason.WRONG_STATUS, "status " + status);
        }
        if (bodyPattern != null) {
            String body = response.content().toString(StandardCharsets.UTF_8);
            if (!bodyPattern.matcher(body).find()) {
                return CheckResult.down(FailureReason.WRONG_BODY, "body does not match /" + bodyPattern + "/");
            }
        }
        if (expectedDigest != null) {
            MessageDigest md = digest();
            md.update(ByteBufUtil.getBytes(response.content()));
            byte[] actual = md.digest();
            if (!MessageDigest.isEqual(actual, expectedDigest)) {
                return CheckResult.down(FailureReason.WRONG_BODY, spec.digestAlgorithm() + " of body is " + HexFormat.of().formatHex(actual));
            }
        }
        return CheckResult.up();
    }

    private final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<CheckResult> result;

        Exchange(CompletableFuture<CheckResult> result) {
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, spec.path(), Unpooled.EMPTY_BUFFER);
            String host = spec.host() != null ? spec.host() : target.hostName();
            int port = target.address().getPort();
            boolean defaultPort = port == (ssl != null ? 443 : 80);
            String hostHeader = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            req.headers().set(HttpHeaderNames.HOST, defaultPort ? hostHeader : hostHeader + ":" + port)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.USER_AGENT, "lvsha-health")
                    .set(HttpHeaderNames.ACCEPT, "*/*");
            ctx.writeAndFlush(req).addListener(f -> {
                if (!f.isSuccess()) {
                    result.complete(FailureClassifier.classify(f.cause()));
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.decoderResult().isFailure()) {
                result.complete(CheckResult.down(FailureReason.PROTOCOL_ERROR, String.valueOf(response.decoderResult().cause())));
                return;
            }
            CheckResult r;
            try {
                r = judge(response);
            } catch (RuntimeException e) {
                r = FailureClassifier.classify(e);
            }
            result.complete(r);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(CheckResult.down(FailureReason.CLOSED_EARLY, "connection closed before a complete response"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (c instanceof TooLongFrameException) {
                result.complete(CheckResult.down(FailureReason.BODY_TOO_LARGE, c.getMessage()));
            } else {
                result.complete(FailureClassifier.classify(cause));
            }
        }
    }
}
