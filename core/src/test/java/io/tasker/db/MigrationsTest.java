package io.tasker.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  @Test
  void applyToAnEmptyDatabaseAndAreANoOpTheSecondTime() {
    try (TestDatabase db = TestDatabases.createEmpty("migrations")) {
      Migrations.Result first = Migrations.migrate(db.dataSource());
      assertThat(first.applied()).isEqualTo(2);
      assertThat(first.schemaVersion()).isEqualTo("2");
      assertThat(first.pgmqExtension()).isFalse();
      assertThat(
              db.queryLong(
                  "select count(*) from information_schema.schemata where schema_name in ('tasker', 'pgmq')"))
          .isEqualTo(2);

      Migrations.Result second = Migrations.migrate(db.dataSource());
      assertThat(second.applied()).isZero();
      assertThat(second.schemaVersion()).isEqualTo("2");
    }
  }
}
