package org.lvsha.health.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Shared plumbing of the socket-based checkers: one channel per probe on the caller's event loop, closed
 * as soon as the result is known, whoever decided it (the handler, a connect error, the caller's timeout).
 */
final class ChannelProbe {
    private ChannelProbe() {
    }

    static CompletableFuture<CheckResult> tcp(CheckTransport transport, EventLoop loop, CheckTarget target, Duration timeout,
                                              boolean resetOnClose, ChannelHandler handler, CompletableFuture<CheckResult> result) {
        // No CONNECT_TIMEOUT_MILLIS: the caller's deadline completes the result, which closes the channel;
        // one timer per probe instead of two matters at tens of thousands of probes per second.
        Bootstrap b = new Bootstrap().group(loop).channelFactory(transport.socketChannelFactory(target.address().getAddress()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                .handler(handler);
        if (resetOnClose) {
            // Close with RST: a checker that closes first would otherwise leave a TIME_WAIT per probe.
            b.option(ChannelOption.SO_LINGER, 0);
        }
        return start(b.connect(target.address()), result);
    }

    static CompletableFuture<CheckResult> udp(CheckTransport transport, EventLoop loop, CheckTarget target,
                                              ChannelHandler handler, CompletableFuture<CheckResult> result) {
        Bootstrap b = new Bootstrap().group(loop).channel(transport.datagramChannel()).handler(handler);
        return start(b.connect(target.address()), result);
    }

    private static CompletableFuture<CheckResult> start(ChannelFuture connect, CompletableFuture<CheckResult> result) {
        Channel ch = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.complete(FailureClassifier.classify(f.cause()));
            }
        });
        // Closed at once, from inside the handler that decided. For a TCP connect check that is channelActive, where
        // Netty's epoll connect promise is still set, so doClose() fails that (already successful) promise with a new,
        // stack-traced ClosedChannelException: about 1 % of the loop's time in a profile at 10 000 probes/s. Deferring
        // the close to a task of its own avoids it but costs more when the loop lags: the server's FIN then arrives
        // before our RST and every probe channel takes one more epoll event (measured: fewer checks/s under load).
        result.whenComplete((r, e) -> ch.close());
        return result;
    }
}
