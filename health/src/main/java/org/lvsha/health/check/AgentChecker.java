package org.lvsha.health.check;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.lvsha.health.config.AgentCheck;

/**
 * Connects to the real server's agent and reads one line (up to a newline or the agent closing, at most
 * {@value #MAX_LINE} bytes), parsed by {@link AgentReply}. An unreachable or silent agent is
 * {@link CheckResult.Verdict#NO_CHANGE} unless the check says it counts as a failure.
 */
public final class AgentChecker implements Checker {
    static final int MAX_LINE = 512;
    private final CheckTransport transport;
    private final CheckTarget target;
    private final AgentCheck spec;

    public AgentChecker(CheckTransport transport, CheckTarget target, AgentCheck spec) {
        this.transport = transport;
        this.target = target;
        this.spec = spec;
    }

    @Override
    public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
        CompletableFuture<CheckResult> raw = new CompletableFuture<>();
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        ChannelProbe.tcp(transport, loop, target, timeout, true, new LineReader(raw), raw);
        raw.whenComplete((r, e) -> result.complete(e != null ? FailureClassifier.classify(e) : soften(r)));
        result.whenComplete((r, e) -> raw.complete(CheckResult.noChange("abandoned")));
        return result;
    }

    private CheckResult soften(CheckResult r) {
        if (r.isDown() && r.reason() != FailureReason.AGENT_DOWN && !spec.unreachableIsFailure()) {
            return CheckResult.noChange("agent unreachable: " + r.detail());
        }
        return r;
    }

    @Override
    public String describe() {
        return "agent " + target.hostPort();
    }

    private final class LineReader extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<CheckResult> result;
        private final StringBuilder line = new StringBuilder();

        LineReader(CompletableFuture<CheckResult> result) {
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (spec.send() != null) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(spec.send() + "\n", StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                while (buf.isReadable()) {
                    char c = (char) (buf.readByte() & 0xff);
                    if (c == '\n' || line.length() >= MAX_LINE) {
                        result.complete(AgentReply.parse(line.toString()));
                        return;
                    }
                    if (c != '\r') {
                        line.append(c);
                    }
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (line.length() > 0) {
                result.complete(AgentReply.parse(line.toString()));
            } else {
                result.complete(CheckResult.down(FailureReason.CLOSED_EARLY, "agent closed without a reply"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(FailureClassifier.classify(cause));
        }
    }
}
