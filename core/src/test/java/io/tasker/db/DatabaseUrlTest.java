package io.tasker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void parsesLibpqUrlsWithCredentialsAndParameters() {
    DatabaseUrl u =
        DatabaseUrl.parse("postgres://alice:s%40cret@db.example:6543/orders?sslmode=require");
    assertThat(u.host()).isEqualTo("db.example");
    assertThat(u.port()).isEqualTo(6543);
    assertThat(u.database()).isEqualTo("orders");
    assertThat(u.user()).contains("alice");
    assertThat(u.password()).contains("s@cret");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/orders?sslmode=require");
    assertThat(u.libpqUrl()).isEqualTo("postgresql://alice:s%40cret@db.example:6543/orders");
    assertThat(u.describe()).isEqualTo("db.example:6543/orders").doesNotContain("cret");
  }

  @Test
  void parsesJdbcUrlsWithCredentialsInTheQuery() {
    DatabaseUrl u =
        DatabaseUrl.parse(
            "jdbc:postgresql://localhost/tasker?user=bob&password=pw&ApplicationName=x");
    assertThat(u.port()).isEqualTo(5432);
    assertThat(u.user()).contains("bob");
    assertThat(u.password()).contains("pw");
    assertThat(u.parameters()).containsOnlyKeys("ApplicationName");
    assertThat(u.jdbcUrl()).doesNotContain("pw");
  }

  @Test
  void acceptsPostgresqlSchemeAndIpv6Hosts() {
    DatabaseUrl u = DatabaseUrl.parse("postgresql://[::1]:5433/db");
    assertThat(u.host()).isEqualTo("[::1]");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/db");
  }

  @Test
  void rejectsUnusableUrlsWithTheReasonAndWithoutThePassword() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@h/db"))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("must start with postgres://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://h:5432/"))
        .hasMessageContaining("names no database");
    assertThatThrownBy(() -> DatabaseUrl.parse(" ")).hasMessageContaining("it is empty");
  }
}
