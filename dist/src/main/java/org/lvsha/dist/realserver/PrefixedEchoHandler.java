package org.lvsha.dist.realserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;

/**
 * The long-lived TCP service: every line the client sends comes back as {@code NAME line}, so a
 * client holding the connection through a failover can tell whether it still talks to the same
 * real server (it must: IPVS connection sync keeps it there) or was moved.
 * Expects lines already split by a {@code LineBasedFrameDecoder} without their delimiter.
 */
final class PrefixedEchoHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final byte[] prefix;

    PrefixedEchoHandler(String name) {
        this.prefix = (name + " ").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        ByteBuf out = ctx.alloc().buffer(prefix.length + line.readableBytes() + 1);
        out.writeBytes(prefix).writeBytes(line).writeByte('\n');
        ctx.write(out);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Stop reading from a client that does not read our echoes, instead of queueing them.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Over-long lines and resets end this connection only.
        ctx.close();
    }
}
