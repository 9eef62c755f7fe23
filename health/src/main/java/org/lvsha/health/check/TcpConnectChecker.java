package org.lvsha.health.check;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Up when a TCP connection is established within the timeout. */
public final class TcpConnectChecker implements Checker {
    private final CheckTransport transport;
    private final CheckTarget target;

    public TcpConnectChecker(CheckTransport transport, CheckTarget target) {
        this.transport = transport;
        this.target = target;
    }

    @Override
    public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        return ChannelProbe.tcp(transport, loop, target, timeout, true, new Connected(result), result);
    }

    @Override
    public String describe() {
        return "tcp " + target.hostPort();
    }

    private static final class Connected extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<CheckResult> result;

        Connected(CompletableFuture<CheckResult> result) {
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            result.complete(CheckResult.up());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(FailureClassifier.classify(cause));
        }
    }
}
