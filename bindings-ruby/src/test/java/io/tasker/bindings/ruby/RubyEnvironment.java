package io.tasker.bindings.ruby;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Paths and environment both Ruby runs share: the gem's sources, the native bundle, a database. */
final class RubyEnvironment {
  /** Where Debian's ruby-rspec (and its dependencies) live; JRuby loads RSpec from there too. */
  static final Path DEBIAN_GEMS = Path.of("/usr/share/rubygems-integration/all");

  private RubyEnvironment() {}

  static Path rubyDir() {
    return Path.of(System.getProperty("tasker.ruby.dir", ".")).toAbsolutePath().normalize();
  }

  static Path nativeDir() {
    return Path.of(System.getProperty("tasker.native.dir", "../native/target"))
        .toAbsolutePath()
        .normalize();
  }

  static Path library() {
    Path lib = nativeDir().resolve("libtasker.so");
    assertThat(lib).as("libtasker.so (./mvnw -pl native -am package builds it)").exists();
    return lib;
  }

  static Path bridgeJar() {
    Path jar = nativeDir().resolve("tasker-bridge.jar");
    assertThat(jar).as("tasker-bridge.jar (./mvnw -pl native -am package builds it)").exists();
    return jar;
  }

  static boolean debianRspecInstalled() throws IOException {
    Path gems = DEBIAN_GEMS.resolve("gems");
    if (!Files.isDirectory(gems)) {
      return false;
    }
    try (Stream<Path> dirs = Files.list(gems)) {
      return dirs.anyMatch(d -> d.getFileName().toString().startsWith("rspec-core-"));
    }
  }

  /** The variables every run gets: the database, the library, the conformance files. */
  static Map<String, String> variables(TestDatabase db) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_URL", TestDatabases.server().withDatabase(db.name()).libpqUrl());
    env.put("TASKER_LIBRARY", library().toString());
    env.put("TASKER_CLASSPATH", bridgeJar().toString());
    env.put(
        "TASKER_CONFORMANCE_DIR",
        Path.of(System.getProperty("tasker.conformance.dir", "../../shared/conformance"))
            .toAbsolutePath()
            .normalize()
            .toString());
    return env;
  }

  static Path reportPath(String runtime) throws IOException {
    Path dir = rubyDir().resolve("target");
    Files.createDirectories(dir);
    Path report = dir.resolve("rspec-" + runtime + ".json");
    Files.deleteIfExists(report);
    return report;
  }
}
