package io.tasker.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.TaskerException;
import io.tasker.db.DatabaseException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every error code has one kind, so REST, the CLI and the C ABI agree on what went wrong. */
class ErrorKindTest {
  @Test
  void codesMapToKindsAndStatuses() {
    assertThat(kind("invalid_context")).isEqualTo(ErrorKind.INVALID);
    assertThat(kind("invalid_template")).isEqualTo(ErrorKind.INVALID);
    assertThat(kind("task_not_found")).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(kind("step_not_found")).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(kind("duplicate_task")).isEqualTo(ErrorKind.CONFLICT);
    assertThat(kind("illegal_transition")).isEqualTo(ErrorKind.CONFLICT);
    assertThat(kind("database_unavailable")).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(kind("wait_timeout")).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(kind("something_new")).isEqualTo(ErrorKind.INTERNAL);
    assertThat(ErrorKind.of(new IllegalStateException("bug"))).isEqualTo(ErrorKind.INTERNAL);

    assertThat(ErrorKind.NOT_FOUND.httpStatus()).isEqualTo(404);
    assertThat(ErrorKind.NOT_FOUND.abiStatus()).isEqualTo(-8);
    assertThat(ErrorKind.CONFLICT.abiStatus()).isEqualTo(-9);
    assertThat(ErrorKind.UNAVAILABLE.abiStatus()).isEqualTo(-10);
    assertThat(ErrorKind.TIMEOUT.abiStatus()).isEqualTo(-11);
    assertThat(ErrorKind.INVALID.abiName()).isEqualTo("TASKER_E_INVALID");
    assertThat(ErrorKind.ofHttpStatus(409)).isEqualTo(ErrorKind.CONFLICT);
    assertThat(ErrorKind.ofHttpStatus(415)).isEqualTo(ErrorKind.INVALID);
    assertThat(ErrorKind.ofHttpStatus(502)).isEqualTo(ErrorKind.INTERNAL);
  }

  @Test
  void aLostConnectionIsUnavailableNotABug() {
    var poolTimeout =
        new DatabaseException(
            "database_error", "x", new SQLTransientConnectionException("pool timed out"));
    assertThat(ErrorKind.of(poolTimeout)).isEqualTo(ErrorKind.UNAVAILABLE);
    var refused =
        new DatabaseException("database_error", "x", new SQLException("refused", "08001"));
    assertThat(ErrorKind.of(refused)).isEqualTo(ErrorKind.UNAVAILABLE);
    var syntax = new DatabaseException("database_error", "x", new SQLException("bad", "42601"));
    assertThat(ErrorKind.of(syntax)).isEqualTo(ErrorKind.INTERNAL);
  }

  @Test
  void errorsMoveUnderTheirEnvelope() {
    var e =
        new ClientException(
            ErrorKind.INVALID,
            "invalid_context",
            "m",
            List.of(new FieldError("$.context.n", "x"), new FieldError("$.args.limit", "y")));
    assertThat(e.under("$.args").errors())
        .extracting(FieldError::path)
        .containsExactly("$.args.context.n", "$.args.limit");
    assertThat(ClientException.from(new TaskerException("task_not_found", "no task")).kind())
        .isEqualTo(ErrorKind.NOT_FOUND);
  }

  private static ErrorKind kind(String code) {
    return ErrorKind.of(new TaskerException(code, "m"));
  }
}
