package io.tasker.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Input and output memory of the ABI: inputs are read from the caller's (pointer, length); outputs
 * are copied into memory from the C library's {@code malloc}, so {@code tasker_buf_free} is a plain
 * {@code free}.
 */
// restricted FFM methods are the point here: this class is the native boundary
@SuppressWarnings("restricted")
final class NativeBuffers {
  /** {@code tasker_buf}: {@code uint8_t* ptr} at 0, {@code size_t len} at 8. */
  static final long BUF_SIZE = 16;

  private static final MethodHandle MALLOC =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("malloc").orElseThrow(),
              FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

  private NativeBuffers() {}

  /** The caller's input bytes; a NULL pointer with length 0 is empty. */
  static byte[] read(MemorySegment ptr, long len) {
    if (len < 0) {
      throw new AbiException(Status.INVALID, "input length " + len + " is negative");
    }
    if (len == 0) {
      return new byte[0];
    }
    if (ptr.address() == 0) {
      throw new AbiException(Status.INVALID, "input pointer is NULL but its length is " + len);
    }
    if (len > Integer.MAX_VALUE - 8) {
      throw new AbiException(Status.INVALID, "input of " + len + " bytes is too large");
    }
    return ptr.reinterpret(len).toArray(ValueLayout.JAVA_BYTE);
  }

  /** Fills {@code out} (ignored when NULL) with a malloc'ed copy of {@code bytes}. */
  static void write(MemorySegment out, byte[] bytes) {
    if (out.address() == 0) {
      return;
    }
    MemorySegment buf = out.reinterpret(BUF_SIZE);
    MemorySegment mem;
    try {
      mem = (MemorySegment) MALLOC.invokeExact((long) Math.max(1, bytes.length));
    } catch (Throwable t) {
      throw new AbiException(Status.INTERNAL, "malloc failed: " + t);
    }
    if (mem.address() == 0) {
      throw new AbiException(Status.INTERNAL, "out of memory (" + bytes.length + " bytes)");
    }
    MemorySegment.copy(
        bytes, 0, mem.reinterpret(bytes.length), ValueLayout.JAVA_BYTE, 0, bytes.length);
    buf.set(ValueLayout.ADDRESS, 0, mem);
    buf.set(ValueLayout.JAVA_LONG, 8, bytes.length);
  }
}
