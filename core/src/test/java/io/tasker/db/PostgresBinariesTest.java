package io.tasker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking the PostgreSQL archive: into any spelling of a directory, never out of it. */
class PostgresBinariesTest {
  @TempDir Path tmp;

  private static byte[] tar(String name) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new TarArchiveOutputStream(bytes)) {
      byte[] body = "x".getBytes(StandardCharsets.UTF_8);
      var e = new TarArchiveEntry(name);
      e.setSize(body.length);
      out.putArchiveEntry(e);
      out.write(body);
      out.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void aTargetSpelledWithDotDotUnpacks() throws IOException {
    Path target = tmp.resolve("a/../b");
    Files.createDirectories(tmp.resolve("a"));
    PostgresBinaries.untar(new ByteArrayInputStream(tar("bin/postgres")), target);
    assertThat(tmp.resolve("b/bin/postgres")).hasContent("x");
  }

  @Test
  void anEntryThatEscapesIsRefused() {
    assertThatThrownBy(
            () ->
                PostgresBinaries.untar(new ByteArrayInputStream(tar("../evil")), tmp.resolve("c")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("escapes");
  }
}
