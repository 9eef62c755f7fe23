package org.lvsha.health.check;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.lvsha.health.config.UdpCheck;

/**
 * Sends one datagram on a connected UDP socket (so an ICMP port unreachable surfaces as an error) and waits
 * for a reply that matches. No reply within the timeout is a failure.
 */
public final class UdpChecker implements Checker {
    private final CheckTransport transport;
    private final CheckTarget target;
    private final byte[] payload;
    private final Pattern reply;

    public UdpChecker(CheckTransport transport, CheckTarget target, UdpCheck spec) {
        this.transport = transport;
        this.target = target;
        this.payload = spec.payloadHex() != null ? HexFormat.of().parseHex(spec.payloadHex())
                : (spec.payload() == null ? "" : spec.payload()).getBytes(StandardCharsets.UTF_8);
        this.reply = spec.replyRegex() == null ? null : Pattern.compile(spec.replyRegex());
    }

    @Override
    public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        return ChannelProbe.udp(transport, loop, target, new Exchange(result), result);
    }

    @Override
    public String describe() {
        return "udp " + target.hostPort();
    }

    private final class Exchange extends SimpleChannelInboundHandler<DatagramPacket> {
        private final CompletableFuture<CheckResult> result;

        Exchange(CompletableFuture<CheckResult> result) {
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener(f -> {
                if (!f.isSuccess()) {
                    result.complete(FailureClassifier.classify(f.cause()));
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            String text = packet.content().toString(StandardCharsets.UTF_8);
            if (reply == null || reply.matcher(text).find()) {
                result.complete(CheckResult.up());
            } else {
                result.complete(CheckResult.down(FailureReason.WRONG_REPLY, "reply does not match /" + reply + "/"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(FailureClassifier.classify(cause));
        }
    }
}
