package org.lvsha.health.check;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.lvsha.health.config.TlsCheck;

/** Up when a TLS handshake completes (and, with verification, the certificate is trusted and names the host). */
public final class TlsHandshakeChecker implements Checker {
    private final CheckTransport transport;
    private final CheckTarget target;
    private final SslContext ssl;
    private final String serverName;

    public TlsHandshakeChecker(CheckTransport transport, CheckTarget target, TlsCheck spec) {
        this.transport = transport;
        this.target = target;
        this.ssl = TlsClientContexts.client(spec.verify(), spec.caFile());
        this.serverName = spec.serverName() != null ? spec.serverName() : target.hostName();
    }

    @Override
    public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        return ChannelProbe.tcp(transport, loop, target, timeout, true, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(ssl.newHandler(ch.alloc(), serverName, target.address().getPort()), new Handshake(result));
            }
        }, result);
    }

    @Override
    public String describe() {
        return "tls " + serverName + " " + target.hostPort();
    }

    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<CheckResult> result;

        Handshake(CompletableFuture<CheckResult> result) {
            this.result = result;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                result.complete(done.isSuccess() ? CheckResult.up()
                        : CheckResult.down(FailureReason.TLS_ERROR, String.valueOf(rootMessage(done.cause()))));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(CheckResult.down(FailureReason.CLOSED_EARLY, "connection closed during the handshake"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(CheckResult.down(FailureReason.TLS_ERROR, rootMessage(cause)));
        }

        private static String rootMessage(Throwable t) {
            Throwable c = t;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            return c.getClass().getSimpleName() + ": " + c.getMessage();
        }
    }
}
