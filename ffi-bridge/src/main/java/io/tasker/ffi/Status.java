package io.tasker.ffi;

/** The ABI's status codes (docs/abi.md#status-codes, {@code TASKER_E_*} in tasker.h). */
public enum Status {
  OK(0),
  INVALID(-1),
  NOT_INITIALIZED(-2),
  NOT_RUNNING(-3),
  UNKNOWN_EVENT(-4),
  EXPIRED(-5),
  ALREADY_COMPLETED(-6),
  JVM(-7),
  NOT_FOUND(-8),
  CONFLICT(-9),
  UNAVAILABLE(-10),
  TIMEOUT(-11),
  INTERNAL(-99);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The name tasker.h gives it, e.g. {@code TASKER_E_EXPIRED}. */
  public String cName() {
    return this == OK ? "TASKER_OK" : "TASKER_E_" + name();
  }
}
