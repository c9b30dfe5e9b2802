package io.tasker.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {
  /**
   * Rows created in one go (a task's steps, inserted as one batch) list in creation order by their
   * uuid: within one millisecond too (they came out shuffled once creation was batched).
   */
  @Test
  void v7IsStrictlyIncreasingInTextOrderWithinOneMillisecond() {
    String previous = Uuids.v7().toString();
    for (int i = 0; i < 100_000; i++) {
      String next = Uuids.v7().toString();
      assertThat(next).as("uuid %d", i).isGreaterThan(previous);
      previous = next;
    }
  }

  @Test
  void v7HasVersionAndVariantBits() {
    UUID u = Uuids.v7();
    assertThat(u.version()).isEqualTo(7);
    assertThat(u.variant()).isEqualTo(2);
  }
}
