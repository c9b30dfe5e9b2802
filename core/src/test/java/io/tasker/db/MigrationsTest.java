package io.tasker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  @Test
  void applyToAnEmptyDatabaseAndAreANoOpTheSecondTime() {
    try (TestDatabase db = TestDatabases.createEmpty("migrations")) {
      Migrations.Result first = Migrations.migrate(db.dataSource());
      assertThat(first.applied()).isEqualTo(5);
      assertThat(first.schemaVersion()).isEqualTo("5");
      assertThat(first.pgmqExtension()).isFalse();
      assertThat(
              db.queryLong(
                  "select count(*) from information_schema.schemata where schema_name in ('tasker', 'pgmq')"))
          .isEqualTo(2);

      Migrations.Result second = Migrations.migrate(db.dataSource());
      assertThat(second.applied()).isZero();
      assertThat(second.schemaVersion()).isEqualTo("5");
    }
  }

  @Test
  void aDatabaseMigratedByAnotherBuildOfTheSameVersionGetsAnActionableError() throws Exception {
    try (TestDatabase db = TestDatabases.createEmpty("migrations_drift")) {
      Migrations.migrate(db.dataSource());
      db.execute("update tasker.flyway_schema_history set checksum = 42 where version = '1'");
      assertThatThrownBy(() -> Migrations.migrate(db.dataSource()))
          .isInstanceOf(DatabaseException.class)
          .hasMessageStartingWith("database migration failed: Validate failed")
          .hasMessageContaining("migrated by a different build")
          .hasMessageContaining("$TASKER_HOME/pg/data");
    }
  }

  /**
   * A cluster upgrades one process at a time: a process of an older build starts against a database
   * a newer build migrated (it ignores the migrations it does not know).
   */
  @Test
  void anOlderBuildStartsOnADatabaseANewerBuildMigrated() throws Exception {
    try (TestDatabase db = TestDatabases.createEmpty("migrations_newer")) {
      Migrations.migrate(db.dataSource());
      db.execute(
          "insert into tasker.flyway_schema_history (installed_rank, version, description, type,"
              + " script, checksum, installed_by, execution_time, success)"
              + " values (99, '99', 'from a newer build', 'SQL', 'V99__from_a_newer_build.sql',"
              + " 1, 'tasker', 1, true)");
      Migrations.Result r = Migrations.migrate(db.dataSource());
      assertThat(r.applied()).isZero();
    }
  }
}
