package org.lvsha.health.check;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.lvsha.health.config.DnsCheck;

/** One DNS query over UDP; up when the response code and (optionally) an A/AAAA answer are as expected. */
public final class DnsChecker implements Checker {
    /** RFC 1035 §4.1.1 and RFC 6895 response codes by their usual names. */
    private static final Map<String, Integer> RCODES = Map.of(
            "NOERROR", 0, "FORMERR", 1, "SERVFAIL", 2, "NXDOMAIN", 3, "NOTIMP", 4, "REFUSED", 5);

    private final CheckTransport transport;
    private final CheckTarget target;
    private final String name;
    private final DnsRecordType type;
    private final int expectRcode;
    private final InetAddress expectAnswer;

    public DnsChecker(CheckTransport transport, CheckTarget target, DnsCheck spec) {
        this.transport = transport;
        this.target = target;
        this.name = spec.name().endsWith(".") ? spec.name() : spec.name() + ".";
        this.type = DnsRecordType.valueOf(spec.queryType());
        Integer rc = RCODES.get(spec.expectRcode());
        if (rc == null) {
            throw new IllegalArgumentException("unknown DNS rcode " + spec.expectRcode() + " (use one of " + RCODES.keySet() + ")");
        }
        this.expectRcode = rc;
        this.expectAnswer = spec.expectAnswer() == null ? null : CheckTarget.literal(spec.expectAnswer());
    }

    @Override
    public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        return ChannelProbe.udp(transport, loop, target, new ChannelInitializer<DatagramChannel>() {
            @Override
            protected void initChannel(DatagramChannel ch) {
                ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(), new Exchange(result, id));
            }
        }, result);
    }

    @Override
    public String describe() {
        return "dns " + type.name() + " " + name + " @" + target.hostPort();
    }

    CheckResult judge(DatagramDnsResponse response) {
        int rc = response.code().intValue();
        if (rc != expectRcode) {
            return CheckResult.down(FailureReason.WRONG_RCODE, "rcode " + response.code());
        }
        if (expectAnswer == null) {
            return CheckResult.up();
        }
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r instanceof DnsRawRecord raw && (r.type() == DnsRecordType.A || r.type() == DnsRecordType.AAAA)) {
                try {
                    InetAddress a = InetAddress.getByAddress(ByteBufUtil.getBytes(raw.content()));
                    if (a.equals(expectAnswer)) {
                        return CheckResult.up();
                    }
                    seen.append(' ').append(a.getHostAddress());
                } catch (UnknownHostException e) {
                    seen.append(" (malformed ").append(r.type().name()).append(')');
                }
            }
        }
        return CheckResult.down(FailureReason.WRONG_ANSWER, "answer" + (seen.length() == 0 ? " empty" : seen));
    }

    private final class Exchange extends SimpleChannelInboundHandler<DatagramDnsResponse> {
        private final CompletableFuture<CheckResult> result;
        private final int id;

        Exchange(CompletableFuture<CheckResult> result, int id) {
            this.result = result;
            this.id = id;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            DatagramDnsQuery q = new DatagramDnsQuery(null, target.address(), id).setRecursionDesired(true);
            q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
            ctx.writeAndFlush(q).addListener(f -> {
                if (!f.isSuccess()) {
                    result.complete(FailureClassifier.classify(f.cause()));
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse response) {
            if (response.id() != id) {
                return; // a late answer to an earlier query: keep waiting for ours
            }
            result.complete(judge(response));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(FailureClassifier.classify(cause));
        }
    }
}
