package org.lvsha.health.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lvsha.health.check.CheckTransport;

/**
 * A tiny authoritative DNS server (loopback unless told otherwise): A records from a map, NXDOMAIN for everything
 * else.
 */
public final class TestDnsServer implements AutoCloseable {
    private final Map<String, InetAddress> a = new ConcurrentHashMap<>();
    private final Channel channel;

    public TestDnsServer(CheckTransport transport) {
        this(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public TestDnsServer(CheckTransport transport, InetSocketAddress at) {
        EventLoopGroup group = transport.group();
        channel = new Bootstrap().group(group).channel(transport.datagramChannel())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answer());
                    }
                })
                .bind(at).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public void put(String name, String address) throws java.net.UnknownHostException {
        a.put(name.endsWith(".") ? name : name + ".", InetAddress.getByName(address));
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private final class Answer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion q = query.recordAt(DnsSection.QUESTION);
            InetAddress found = a.get(q.name());
            DatagramDnsResponse r = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            r.addRecord(DnsSection.QUESTION, q);
            if (found == null) {
                r.setCode(DnsResponseCode.NXDOMAIN);
            } else if (q.type() == DnsRecordType.A) {
                r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.A, 60, Unpooled.wrappedBuffer(found.getAddress())));
            }
            ctx.writeAndFlush(r);
        }
    }
}
