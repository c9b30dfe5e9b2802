package io.tasker.sql;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID v7 (RFC 9562): time-ordered, so new rows append to primary-key indexes and rows created in
 * one go (a task's steps, inserted as one batch) list in creation order. Monotonic within this
 * process (RFC 9562 §6.2, method 1): the 12 bits after the millisecond count up within a
 * millisecond, and a counter overflow borrows the next millisecond.
 */
public final class Uuids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMillis;
  private static long counter;

  private Uuids() {}

  public static UUID v7() {
    long millis;
    long randA;
    synchronized (Uuids.class) {
      millis = Math.max(System.currentTimeMillis(), lastMillis);
      if (millis == lastMillis) {
        counter++;
        if (counter > 0xFFF) {
          millis++;
          counter = 0;
        }
      } else {
        counter = RANDOM.nextInt(1 << 11); // start low: room to count up within the millisecond
      }
      lastMillis = millis;
      randA = counter;
    }
    long msb = (millis << 16) | (0x7L << 12) | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
