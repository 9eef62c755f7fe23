package org.lvsha.dist.drill;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the client saw during a drill, as parallel primitive arrays: one row per short-request
 * attempt and one per long-lived connection event, each stamped with {@link System#nanoTime()}
 * (CLOCK_MONOTONIC on Linux, shared by every process on the host, so a director's event stream on
 * the same host lines up with it). Real server names are interned to small numbers.
 *
 * <p>Written by one thread (the traffic generator's event loop); read after it finished. The file
 * form ({@link #writeTo}/{@link #readFrom}) is how a traffic process in the lab's client namespace
 * hands its log to the drill that started it.
 */
public final class TrafficLog {
    /** Server index of a row without a responding server. */
    public static final short NO_SERVER = -1;
    private static final int MAGIC = 0x4c564454; // "LVDT"
    private static final int VERSION = 1;

    private final String target;
    private final int capacity;
    private long startNanos;
    private long endNanos;
    private long startEpochMillis;

    private final List<String> servers = new ArrayList<>();
    private final Map<String, Short> serverIndex = new HashMap<>();

    private int attempts;
    private long[] attemptStart = new long[256];
    private long[] attemptEnd = new long[256];
    private int[] attemptRequest = new int[256];
    private byte[] attemptNumber = new byte[256];
    private byte[] attemptOutcome = new byte[256];
    private short[] attemptServer = new short[256];

    private int events;
    private long[] eventTime = new long[256];
    private short[] eventConnection = new short[256];
    private byte[] eventKind = new byte[256];
    private short[] eventServer = new short[256];
    private int[] eventSeq = new int[256];
    private long[] eventLatency = new long[256];

    /** {@code capacity} bounds each table: a bug in a caller must not grow memory without end. */
    public TrafficLog(String target, int capacity) {
        this.target = target;
        this.capacity = capacity;
    }

    public void markStart(long nanos, long epochMillis) {
        this.startNanos = nanos;
        this.startEpochMillis = epochMillis;
    }

    public void markEnd(long nanos) {
        this.endNanos = nanos;
    }

    public short server(String name) {
        if (name == null || name.isEmpty()) {
            return NO_SERVER;
        }
        Short idx = serverIndex.get(name);
        if (idx == null) {
            if (servers.size() >= Short.MAX_VALUE) {
                throw new IllegalStateException("too many distinct real server names");
            }
            idx = (short) servers.size();
            servers.add(name);
            serverIndex.put(name, idx);
        }
        return idx;
    }

    /** Opens an attempt row; its outcome is filled in by {@link #finishAttempt}. Returns the row, or -1 when full. */
    public int beginAttempt(int request, int attempt, long startNanos) {
        if (attempts >= capacity) {
            return -1;
        }
        if (attempts == attemptStart.length) {
            int n = Math.min(capacity, attempts * 2);
            attemptStart = Arrays.copyOf(attemptStart, n);
            attemptEnd = Arrays.copyOf(attemptEnd, n);
            attemptRequest = Arrays.copyOf(attemptRequest, n);
            attemptNumber = Arrays.copyOf(attemptNumber, n);
            attemptOutcome = Arrays.copyOf(attemptOutcome, n);
            attemptServer = Arrays.copyOf(attemptServer, n);
        }
        int row = attempts++;
        attemptStart[row] = startNanos;
        attemptEnd[row] = -1;
        attemptRequest[row] = request;
        attemptNumber[row] = (byte) attempt;
        attemptOutcome[row] = -1;
        attemptServer[row] = NO_SERVER;
        return row;
    }

    /** Completes a row once; returns false if it was already complete (a late timeout or close). */
    public boolean finishAttempt(int row, long endNanos, RequestOutcome outcome, short server) {
        if (attemptOutcome[row] >= 0) {
            return false;
        }
        attemptEnd[row] = endNanos;
        attemptOutcome[row] = (byte) outcome.ordinal();
        attemptServer[row] = server;
        return true;
    }

    /** Appends a long-lived connection event; silently dropped when the table is full. */
    public void event(long nanos, int connection, StreamEvent kind, short server, int seq, long latencyNanos) {
        if (events >= capacity) {
            return;
        }
        if (events == eventTime.length) {
            int n = Math.min(capacity, events * 2);
            eventTime = Arrays.copyOf(eventTime, n);
            eventConnection = Arrays.copyOf(eventConnection, n);
            eventKind = Arrays.copyOf(eventKind, n);
            eventServer = Arrays.copyOf(eventServer, n);
            eventSeq = Arrays.copyOf(eventSeq, n);
            eventLatency = Arrays.copyOf(eventLatency, n);
        }
        int row = events++;
        eventTime[row] = nanos;
        eventConnection[row] = (short) connection;
        eventKind[row] = (byte) kind.ordinal();
        eventServer[row] = server;
        eventSeq[row] = seq;
        eventLatency[row] = latencyNanos;
    }

    public String target() {
        return target;
    }

    public long startNanos() {
        return startNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    public List<String> servers() {
        return List.copyOf(servers);
    }

    public String serverName(short index) {
        return index < 0 ? "" : servers.get(index);
    }

    public int attempts() {
        return attempts;
    }

    public long attemptStart(int row) {
        return attemptStart[row];
    }

    public long attemptEnd(int row) {
        return attemptEnd[row];
    }

    public int attemptRequest(int row) {
        return attemptRequest[row];
    }

    public int attemptNumber(int row) {
        return attemptNumber[row];
    }

    /** The outcome; an attempt never finished (should not happen after a run) reads as {@link RequestOutcome#TIMEOUT}. */
    public RequestOutcome attemptOutcome(int row) {
        return attemptOutcome[row] < 0 ? RequestOutcome.TIMEOUT : RequestOutcome.of(attemptOutcome[row]);
    }

    public short attemptServer(int row) {
        return attemptServer[row];
    }

    public int events() {
        return events;
    }

    public long eventTime(int row) {
        return eventTime[row];
    }

    public int eventConnection(int row) {
        return eventConnection[row];
    }

    public StreamEvent eventKind(int row) {
        return StreamEvent.of(eventKind[row]);
    }

    public short eventServer(int row) {
        return eventServer[row];
    }

    public int eventSeq(int row) {
        return eventSeq[row];
    }

    public long eventLatency(int row) {
        return eventLatency[row];
    }

    /** Writes the log to {@code file} atomically (a reader never sees half a log). */
    public void writeTo(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(target);
            out.writeInt(capacity);
            out.writeLong(startNanos);
            out.writeLong(endNanos);
            out.writeLong(startEpochMillis);
            out.writeInt(servers.size());
            for (String s : servers) {
                out.writeUTF(s);
            }
            out.writeInt(attempts);
            for (int i = 0; i < attempts; i++) {
                out.writeLong(attemptStart[i]);
                out.writeLong(attemptEnd[i]);
                out.writeInt(attemptRequest[i]);
                out.writeByte(attemptNumber[i]);
                out.writeByte(attemptOutcome[i]);
                out.writeShort(attemptServer[i]);
            }
            out.writeInt(events);
            for (int i = 0; i < events; i++) {
                out.writeLong(eventTime[i]);
                out.writeShort(eventConnection[i]);
                out.writeByte(eventKind[i]);
                out.writeShort(eventServer[i]);
                out.writeInt(eventSeq[i]);
                out.writeLong(eventLatency[i]);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static TrafficLog readFrom(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a drill traffic log");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": traffic log version " + version + ", this lvsha reads " + VERSION);
            }
            TrafficLog log = new TrafficLog(in.readUTF(), in.readInt());
            log.startNanos = in.readLong();
            log.endNanos = in.readLong();
            log.startEpochMillis = in.readLong();
            int nServers = in.readInt();
            for (int i = 0; i < nServers; i++) {
                log.server(in.readUTF());
            }
            int n = checkedCount(in.readInt(), log.capacity, file);
            for (int i = 0; i < n; i++) {
                int row = log.beginAttempt(0, 0, 0);
                log.attemptStart[row] = in.readLong();
                log.attemptEnd[row] = in.readLong();
                log.attemptRequest[row] = in.readInt();
                log.attemptNumber[row] = in.readByte();
                log.attemptOutcome[row] = in.readByte();
                log.attemptServer[row] = in.readShort();
            }
            int m = checkedCount(in.readInt(), log.capacity, file);
            for (int i = 0; i < m; i++) {
                long t = in.readLong();
                short conn = in.readShort();
                byte kind = in.readByte();
                short server = in.readShort();
                int seq = in.readInt();
                long latency = in.readLong();
                log.event(t, conn, StreamEvent.of(kind), server, seq, latency);
            }
            return log;
        }
    }

    private static int checkedCount(int n, int capacity, Path file) throws IOException {
        if (n < 0 || n > capacity) {
            throw new IOException(file + ": corrupt traffic log (row count " + n + ")");
        }
        return n;
    }
}
