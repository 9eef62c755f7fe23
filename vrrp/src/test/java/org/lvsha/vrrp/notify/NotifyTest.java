package org.lvsha.vrrp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.vrrp.ProcessCommandRunner;
import org.lvsha.vrrp.config.NotifyConfig;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.proto.TransitionReason;

class NotifyTest {
    static TransitionEvent ev(long seq, String type, String name, State to, int prio) {
        return new TransitionEvent(seq, seq * 1000, type, name, State.BACKUP, to, TransitionReason.MASTER_DOWN_TIMER, prio);
    }

    @Test
    void eventIsOneJsonLineWithEscapedName() {
        assertThat(ev(7, "INSTANCE", "v\"ip\n", State.MASTER, 200).toJson()).isEqualTo(
                "{\"seq\":7,\"monotonic_ns\":7000,\"type\":\"INSTANCE\",\"name\":\"v\\\"ip\\u000a\",\"from\":\"BACKUP\","
                        + "\"to\":\"MASTER\",\"state\":\"MASTER\",\"reason\":\"MASTER_DOWN_TIMER\",\"priority\":200}");
        assertThat(ev(1, "INSTANCE", "x", State.INITIALIZE, 1).hookState()).isEqualTo("STOP");
    }

    @Test
    void streamDeliversInOrderToEverySinkEvenWhenOneIsSlowOrThrows() throws Exception {
        List<Long> fast = Collections.synchronizedList(new ArrayList<>());
        List<Long> slow = Collections.synchronizedList(new ArrayList<>());
        MemorySubscriber memory = new MemorySubscriber();
        EventSink throwing = e -> {
            throw new IllegalStateException("broken sink");
        };
        EventSink slowSink = e -> {
            if (e.sequence() % 100 == 0) {
                Thread.yield(); // let the producer race ahead: the queue must absorb it in order
            }
            slow.add(e.sequence());
        };
        try (EventStream s = new EventStream(List.of(throwing, e -> fast.add(e.sequence()), slowSink, memory))) {
            // one producer (the node thread) numbers events; the stream must keep that order
            for (long i = 1; i <= 2000; i++) {
                s.onTransition(ev(i, "INSTANCE", "vip", State.MASTER, 100));
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 2000; i++) {
            expected.add(i);
        }
        assertThat(fast).containsExactlyElementsOf(expected);
        assertThat(slow).containsExactlyElementsOf(expected);
        assertThat(memory.events()).extracting(TransitionEvent::sequence).containsExactlyElementsOf(expected);
    }

    @Test
    void hookScriptsGetKeepalivedArgumentsTypeNameStatePriority(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        Path any = dir.resolve("any.sh");
        Path master = dir.resolve("master.sh");
        Files.writeString(any, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
        Files.writeString(master, "#!/bin/sh\necho on-master >> " + log + "\n");
        any.toFile().setExecutable(true);
        master.toFile().setExecutable(true);
        NotifyConfig c = new NotifyConfig(any.toString(), master.toString(), null, null, null);
        java.net.InetAddress self = java.net.InetAddress.getByName("203.0.113.2");
        org.lvsha.vrrp.config.InstanceConfig vip = org.lvsha.vrrp.config.InstanceConfig.v3("vip", 51, "eth0", self, 100,
                List.of(new org.lvsha.core.net.VirtualAddress("eth0", java.net.InetAddress.getByName("203.0.113.100"), 24, null)))
                .withNotify(c);
        org.lvsha.vrrp.config.InstanceConfig dip = org.lvsha.vrrp.config.InstanceConfig.v3("dip", 52, "eth1",
                java.net.InetAddress.getByName("192.0.2.2"), 100,
                List.of(new org.lvsha.core.net.VirtualAddress("eth1", java.net.InetAddress.getByName("192.0.2.254"), 24, null)));
        HookScripts hooks = HookScripts.of(new org.lvsha.vrrp.config.NodeConfig(List.of(vip, dip),
                List.of(new org.lvsha.vrrp.config.SyncGroupConfig("lb", List.of("vip", "dip"), c))), new ProcessCommandRunner(),
                Duration.ofSeconds(10));
        hooks.accept(ev(1, "INSTANCE", "vip", State.MASTER, 150));
        hooks.accept(ev(2, "GROUP", "lb", State.FAULT, 0));
        hooks.accept(ev(3, "INSTANCE", "vip", State.INITIALIZE, 150));
        hooks.accept(ev(4, "INSTANCE", "other", State.MASTER, 1)); // no hooks configured: nothing runs
        assertThat(Files.readAllLines(log)).containsExactly("on-master", "INSTANCE vip MASTER 150", "GROUP lb FAULT 0",
                "INSTANCE vip STOP 150");
    }

    @Test
    void unixSocketClientsReceiveJsonLines(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("events.sock");
        try (UnixSocketSink sink = new UnixSocketSink(sock);
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(sock));
            sink.accept(ev(1, "INSTANCE", "vip", State.MASTER, 100));
            sink.accept(ev(2, "INSTANCE", "vip", State.BACKUP, 100));
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
            assertThat(r.readLine()).contains("\"seq\":1").contains("\"to\":\"MASTER\"");
            assertThat(r.readLine()).contains("\"seq\":2").contains("\"to\":\"BACKUP\"");
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void fileSinkAppendsOneLinePerEvent(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("events.jsonl");
        try (JsonLinesFileSink sink = new JsonLinesFileSink(f)) {
            sink.accept(ev(1, "INSTANCE", "vip", State.MASTER, 100));
            sink.accept(ev(2, "GROUP", "lb", State.MASTER, 0));
        }
        assertThat(Files.readAllLines(f)).hasSize(2).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    }
}
