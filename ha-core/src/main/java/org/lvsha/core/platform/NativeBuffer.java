package org.lvsha.core.platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;

/**
 * A direct, native-order {@link ByteBuffer} and the jnr {@link Pointer} to its first byte, made once
 * and reused: hot paths fill the buffer and pass the pointer without allocating anything per call.
 * Not thread-safe; each belongs to the one thread that owns the socket using it.
 */
public final class NativeBuffer {
    private final ByteBuffer buffer;
    private final Pointer pointer;

    private NativeBuffer(ByteBuffer buffer) {
        this.buffer = buffer;
        this.pointer = Pointer.wrap(Native.RUNTIME, buffer);
    }

    public static NativeBuffer allocate(int size) {
        return new NativeBuffer(ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder()));
    }

    /** The buffer; callers use absolute gets/puts or reset position/limit themselves. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public Pointer pointer() {
        return pointer;
    }

    public long address() {
        return pointer.address();
    }

    public int capacity() {
        return buffer.capacity();
    }
}
