package org.lvsha.dist.dataplane;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.admin.Ipvsadm;

/**
 * How another {@code lvsha ipvs} invocation drives a running data plane: a Unix stream socket (default
 * {@value #DEFAULT_PATH}, mode 0600 under root), one request per connection, all integers big-endian u32:
 * <pre>
 * request:  argc, argc × (length, UTF-8 argument), stdin length, stdin bytes
 * response: exit status, stdout length, stdout bytes, stderr length, stderr bytes
 * </pre>
 * The server runs the arguments through {@link Ipvsadm} over its {@link Ipvs} (the userspace adapter), so the
 * remote CLI accepts and prints exactly what {@code ipvsadm} does. The extra argument {@code --dataplane-counters}
 * prints the data plane's own counters (packets, bad frames per reason) instead.
 */
public final class IpvsadmControlProtocol {
    public static final String DEFAULT_PATH = "/run/lvsha/dataplane.sock";
    public static final String COUNTERS = "--dataplane-counters";
    private static final int MAX_FIELD = 16 << 20;

    private IpvsadmControlProtocol() {
    }

    /** The reply of one request. */
    public record Reply(int status, String out, String err) {
    }

    /** Sends one request and returns the reply. */
    public static Reply call(Path socket, List<String> args, byte[] stdin) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            out.writeInt(args.size());
            for (String a : args) {
                writeBytes(out, a.getBytes(StandardCharsets.UTF_8));
            }
            writeBytes(out, stdin);
            out.flush();
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            int status = in.readInt();
            String o = new String(readBytes(in), StandardCharsets.UTF_8);
            String e = new String(readBytes(in), StandardCharsets.UTF_8);
            return new Reply(status, o, e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FIELD) {
            throw new IOException("field of " + n + " bytes");
        }
        return in.readNBytes(n);
    }

    /** Serves requests on {@code socket} until closed; each runs {@code handler} (argv, stdin) → reply. */
    public static final class Server implements AutoCloseable {
        private final ServerSocketChannel channel;
        private final Path path;
        private final Thread thread;

        public Server(Path path, Ipvs ipvs, Function<List<String>, String> extra) throws IOException {
            this.path = path;
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.deleteIfExists(path);
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path));
            try {
                Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException | IOException e) {
                // Best effort: the directory's permissions still apply.
            }
            thread = new Thread(() -> serve(ipvs, extra), "lvsha-dataplane-control");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(Ipvs ipvs, Function<List<String>, String> extra) {
            while (channel.isOpen()) {
                try (SocketChannel ch = channel.accept()) {
                    DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                    int argc = in.readInt();
                    if (argc < 0 || argc > 4096) {
                        continue;
                    }
                    List<String> args = new ArrayList<>();
                    for (int i = 0; i < argc; i++) {
                        args.add(new String(readBytes(in), StandardCharsets.UTF_8));
                    }
                    byte[] stdin = readBytes(in);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ByteArrayOutputStream err = new ByteArrayOutputStream();
                    int status;
                    if (args.size() == 1 && args.get(0).equals(COUNTERS)) {
                        out.writeBytes(extra.apply(args).getBytes(StandardCharsets.UTF_8));
                        status = 0;
                    } else {
                        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                            InputStream i = new ByteArrayInputStream(stdin);
                            try {
                                status = new Ipvsadm(ipvs, i, o, e).run(args.toArray(String[]::new));
                            } catch (RuntimeException ex) {
                                e.println("lvsha dataplane: " + ex.getMessage());
                                status = 1;
                            }
                        }
                    }
                    DataOutputStream reply = new DataOutputStream(Channels.newOutputStream(ch));
                    reply.writeInt(status);
                    writeBytes(reply, out.toByteArray());
                    writeBytes(reply, err.toByteArray());
                    reply.flush();
                } catch (IOException e) {
                    if (!channel.isOpen()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // left behind; the next start replaces it
            }
        }
    }
}
