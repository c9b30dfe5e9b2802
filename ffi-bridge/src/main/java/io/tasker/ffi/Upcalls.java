package io.tasker.ffi;

import java.lang.foreign.MemorySegment;

/**
 * The upcall targets, one per {@link AbiFunction} (same order and name). Each is static, declares
 * no exception and catches everything ({@link Calls#run}): an exception escaping an upcall would
 * kill the host process.
 */
final class Upcalls {
  private Upcalls() {}

  static int init(MemorySegment cfg, long len, MemorySegment out) {
    return Calls.run(out, () -> Bridge.get().init(NativeBuffers.read(cfg, len)));
  }

  static int workerStart(MemorySegment cfg, long len, MemorySegment out) {
    return Calls.run(out, () -> Bridge.get().workerStart(NativeBuffers.read(cfg, len)));
  }

  static int workerStop(int graceMs, MemorySegment out) {
    return Calls.run(out, () -> Bridge.get().workerStop(Integer.toUnsignedLong(graceMs)));
  }

  static int workerStatus(MemorySegment out) {
    return Calls.run(out, () -> Bridge.get().workerStatus());
  }

  static int poll(int max, int timeoutMs, MemorySegment out) {
    return Calls.run(
        out,
        () -> Bridge.get().poll(Integer.toUnsignedLong(max), Integer.toUnsignedLong(timeoutMs)));
  }

  static int complete(MemorySegment json, long len, MemorySegment out) {
    return Calls.run(out, () -> Bridge.get().complete(NativeBuffers.read(json, len)));
  }

  static int checkpoint(MemorySegment json, long len, MemorySegment out) {
    return Calls.run(out, () -> Bridge.get().checkpoint(NativeBuffers.read(json, len)));
  }

  static int client(MemorySegment req, long len, MemorySegment out) {
    return Calls.runReply(out, () -> Bridge.get().client(NativeBuffers.read(req, len)));
  }

  static int log(int level, MemorySegment json, long len) {
    return Calls.run(
        MemorySegment.NULL,
        () -> {
          HostLog.write(level, NativeBuffers.read(json, len));
          return null;
        });
  }

  static int shutdown() {
    return Calls.run(
        MemorySegment.NULL,
        () -> {
          Bridge.get().shutdown();
          return null;
        });
  }
}
