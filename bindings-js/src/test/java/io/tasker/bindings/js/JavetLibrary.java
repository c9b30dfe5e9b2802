package io.tasker.bindings.js;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import com.caoccao.javet.interop.loader.JavetLibLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Javet's native library for this run: unpacked from its jar into a directory of our own (so Javet
 * does not leave a copy under /tmp/javet per run), re-opened RTLD_GLOBAL so that Node-API addons
 * resolve napi_* against it, and deleted afterwards.
 */
final class JavetLibrary {
  private static final int RTLD_NOW = 0x2;
  private static final int RTLD_NOLOAD = 0x4;
  private static final int RTLD_GLOBAL = 0x100;
  private static final List<Path> unpacked = new ArrayList<>();

  private JavetLibrary() {}

  /** Unpacks the Node-mode library under {@code parent} and points Javet's loader at it. */
  static synchronized Path unpack(Path parent) throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "javet-lib-");
    String name = fileName();
    try (InputStream in = JavetLibrary.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            name + " is not on the class path (javet-node-linux-x86_64)");
      }
      Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    System.setProperty("javet.lib.loading.type", "custom");
    System.setProperty("javet.lib.loading.path", dir.toString());
    unpacked.add(dir);
    return dir;
  }

  /**
   * The Node-mode library's file name. Built from the version constant (inlined by javac) because
   * touching JavetLibLoader would initialise Javet's loading listener before our properties are
   * set.
   */
  private static String fileName() {
    return "libjavet-node-linux-x86_64.v." + JavetLibLoader.LIB_VERSION + ".so";
  }

  /** dlopen(RTLD_NOLOAD | RTLD_GLOBAL) of the loaded library: its symbols become global. */
  @SuppressWarnings("restricted") // a downcall to dlopen: the test JVM runs with native access
  static void promoteToGlobal(Path dir) {
    Path lib = dir.resolve(fileName());
    Linker linker = Linker.nativeLinker();
    MethodHandle dlopen =
        linker.downcallHandle(
            linker.defaultLookup().find("dlopen").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment handle =
          (MemorySegment)
              dlopen.invokeExact(
                  arena.allocateFrom(lib.toString()), RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
      if (handle.equals(MemorySegment.NULL)) {
        throw new IllegalStateException(lib + " is not loaded; create a Node runtime first");
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("dlopen failed: " + t, t);
    }
  }

  /** Deletes an unpacked directory (the loaded library stays mapped until the JVM exits). */
  static synchronized void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    unpacked.remove(dir);
  }

  static synchronized List<Path> leftovers() {
    return unpacked.stream().filter(Files::exists).toList();
  }
}
