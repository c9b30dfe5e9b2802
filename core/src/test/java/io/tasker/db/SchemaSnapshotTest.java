package io.tasker.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The migrated schema must equal {@code sql/schema.snapshot.sql}, so every schema change shows up
 * as a reviewed diff of that file. After an intended change, regenerate it with {@code ./mvnw -pl
 * core test -Dtest=SchemaSnapshotTest -Dtasker.snapshot.update=true}.
 */
class SchemaSnapshotTest {
  @Test
  void migratedSchemaMatchesTheCommittedSnapshot() throws Exception {
    Path committed =
        Path.of(System.getProperty("tasker.schema.snapshot", "../sql/schema.snapshot.sql"));
    try (TestDatabase db = TestDatabases.create("snapshot")) {
      String actual = SchemaSnapshot.describe(db.dataSource());
      if (Boolean.getBoolean("tasker.snapshot.update")) {
        Files.writeString(committed, actual);
      }
      Path written = Path.of("target", "schema.actual.sql");
      Files.createDirectories(written.getParent());
      Files.writeString(written, actual);
      assertThat(Files.exists(committed))
          .as("committed snapshot %s (create it with -Dtasker.snapshot.update=true)", committed)
          .isTrue();
      assertThat(actual)
          .as(
              "schema drift: compare %s with %s; if the change is intended, regenerate the snapshot"
                  + " with ./mvnw -pl core test -Dtest=SchemaSnapshotTest -Dtasker.snapshot.update=true",
              written.toAbsolutePath(), committed)
          .isEqualTo(Files.readString(committed));
    }
  }
}
