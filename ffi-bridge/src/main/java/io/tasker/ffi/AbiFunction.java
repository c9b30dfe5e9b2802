package io.tasker.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The upcall table, in order: the one definition that {@code native/src/upcalls.h} and the
 * prototypes in {@code native/include/tasker.h} are checked against (AbiTableConsistencyTest). Each
 * entry's C parameter types give its {@link FunctionDescriptor} and the {@link Upcalls} method it
 * binds to ({@link #javaName()}).
 */
public enum AbiFunction {
  INIT("init", "const uint8_t*", "size_t", "tasker_buf*"),
  WORKER_START("worker_start", "const uint8_t*", "size_t", "tasker_buf*"),
  WORKER_STOP("worker_stop", "uint32_t", "tasker_buf*"),
  WORKER_STATUS("worker_status", "tasker_buf*"),
  POLL("poll", "uint32_t", "uint32_t", "tasker_buf*"),
  COMPLETE("complete", "const uint8_t*", "size_t", "tasker_buf*"),
  CHECKPOINT("checkpoint", "const uint8_t*", "size_t", "tasker_buf*"),
  CLIENT("client", "const uint8_t*", "size_t", "tasker_buf*"),
  LOG("log", "int32_t", "const uint8_t*", "size_t"),
  SHUTDOWN("shutdown");

  /** Every function returns {@code int32_t}. */
  public static final String C_RETURN_TYPE = "int32_t";

  private final String cName;
  private final List<String> cParameterTypes;

  AbiFunction(String cName, String... cParameterTypes) {
    this.cName = cName;
    this.cParameterTypes = List.of(cParameterTypes);
  }

  /** The field name in {@code tasker_upcalls}; the exported function is {@code tasker_<cName>}. */
  public String cName() {
    return cName;
  }

  public List<String> cParameterTypes() {
    return cParameterTypes;
  }

  /** The static method of {@link Upcalls} this slot calls (camel case of {@link #cName()}). */
  public String javaName() {
    String[] parts = cName.split("_");
    StringBuilder b = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return b.toString();
  }

  public FunctionDescriptor descriptor() {
    return FunctionDescriptor.of(
        ValueLayout.JAVA_INT,
        cParameterTypes.stream().map(AbiFunction::layout).toArray(MemoryLayout[]::new));
  }

  public MethodType methodType() {
    return MethodType.methodType(
        int.class, cParameterTypes.stream().map(AbiFunction::carrier).toArray(Class<?>[]::new));
  }

  private static MemoryLayout layout(String cType) {
    return switch (cType) {
      case "const uint8_t*", "tasker_buf*" -> ValueLayout.ADDRESS;
      case "size_t" -> ValueLayout.JAVA_LONG;
      case "uint32_t", "int32_t" -> ValueLayout.JAVA_INT;
      default -> throw new IllegalArgumentException("no layout for C type " + cType);
    };
  }

  private static Class<?> carrier(String cType) {
    return switch (cType) {
      case "const uint8_t*", "tasker_buf*" -> MemorySegment.class;
      case "size_t" -> long.class;
      case "uint32_t", "int32_t" -> int.class;
      default -> throw new IllegalArgumentException("no carrier for C type " + cType);
    };
  }
}
