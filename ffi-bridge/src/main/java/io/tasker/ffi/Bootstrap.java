package io.tasker.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.slf4j.LoggerFactory;

/**
 * The one method libtasker calls through JNI: it fills the C upcall table with {@link
 * Linker#upcallStub}s (in {@link Arena#global()}, so they live as long as the process). After that
 * every ABI call is a plain C call through the table.
 */
// restricted FFM methods are the point here: this class is the native boundary
@SuppressWarnings("restricted")
public final class Bootstrap {
  /** install: the C table has a different number of slots than {@link AbiFunction}. */
  public static final int TABLE_MISMATCH = -1;

  /** install: a stub could not be created (the message is logged). */
  public static final int FAILED = -99;

  private Bootstrap() {}

  /**
   * Fills the {@code tasker_upcalls} table at {@code tableAddress}.
   *
   * @param slots the number of function pointers the C table has
   * @param attached whether libtasker attached to a JVM that already ran in the process
   * @return 0, {@link #TABLE_MISMATCH} or {@link #FAILED}
   */
  public static int install(long tableAddress, int slots, boolean attached) {
    try {
      AbiFunction[] functions = AbiFunction.values();
      if (slots != functions.length || tableAddress == 0) {
        return TABLE_MISMATCH;
      }
      MemorySegment table =
          MemorySegment.ofAddress(tableAddress).reinterpret(slots * ValueLayout.ADDRESS.byteSize());
      Linker linker = Linker.nativeLinker();
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MemorySegment[] stubs = new MemorySegment[functions.length];
      for (AbiFunction f : functions) {
        MethodHandle target = lookup.findStatic(Upcalls.class, f.javaName(), f.methodType());
        stubs[f.ordinal()] = linker.upcallStub(target, f.descriptor(), Arena.global());
      }
      Bridge.get().installed(attached);
      for (AbiFunction f : functions) {
        table.setAtIndex(ValueLayout.ADDRESS, f.ordinal(), stubs[f.ordinal()]);
      }
      return 0;
    } catch (Throwable t) {
      try {
        LoggerFactory.getLogger(Bootstrap.class).error("cannot install the upcall table", t);
      } catch (Throwable ignored) {
        // logging is best effort here; the status code tells the caller
      }
      return FAILED;
    }
  }
}
