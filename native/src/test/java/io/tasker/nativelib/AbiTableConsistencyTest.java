package io.tasker.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.ffi.AbiFunction;
import io.tasker.ffi.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one definition ({@link AbiFunction}, {@link Status}) against the C side: the upcall table in
 * {@code native/src/upcalls.h} (order, names, signatures), the exported prototypes in {@code
 * native/include/tasker.h}, and the status codes.
 */
class AbiTableConsistencyTest {
  private static final Pattern TABLE_SLOT =
      Pattern.compile("int32_t \\(\\*(\\w+)\\)\\(([^)]*)\\);");
  private static final Pattern PROTOTYPE =
      Pattern.compile("TASKER_API\\s+(\\w+)\\s+tasker_(\\w+)\\(([^)]*)\\);", Pattern.DOTALL);
  private static final Pattern STATUS =
      Pattern.compile("#define TASKER_(OK|E_\\w+) \\(?(-?\\d+)\\)?");

  private static Path include() {
    return Path.of(System.getProperty("tasker.native.include", "include"));
  }

  private static Path src() {
    return Path.of(System.getProperty("tasker.native.src", "src"));
  }

  /** "const uint8_t* cfg, size_t cfg_len" → ["const uint8_t*", "size_t"]; "void" → []. */
  static List<String> parameterTypes(String params) {
    String p = params.strip().replaceAll("\\s+", " ");
    if (p.isEmpty() || p.equals("void")) {
      return List.of();
    }
    List<String> types = new ArrayList<>();
    for (String one : p.split(",")) {
      String s = one.strip();
      int cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('*'));
      types.add(s.substring(0, cut + 1).strip().replace(" *", "*"));
    }
    return types;
  }

  @Test
  void upcallTableMatchesAbiFunctionInOrderNameAndSignature() throws Exception {
    Matcher m = TABLE_SLOT.matcher(Files.readString(src().resolve("upcalls.h")));
    List<String> cSlots = new ArrayList<>();
    while (m.find()) {
      cSlots.add(m.group(1) + parameterTypes(m.group(2)));
    }
    List<String> javaSlots =
        Arrays.stream(AbiFunction.values()).map(f -> f.cName() + f.cParameterTypes()).toList();
    assertThat(cSlots).containsExactlyElementsOf(javaSlots);
  }

  @Test
  void exportedPrototypesMatchAbiFunctionSignatures() throws Exception {
    Matcher m = PROTOTYPE.matcher(Files.readString(include().resolve("tasker.h")));
    Map<String, String> exported = new LinkedHashMap<>();
    while (m.find()) {
      exported.put(m.group(2), m.group(1) + parameterTypes(m.group(3)));
    }
    for (AbiFunction f : AbiFunction.values()) {
      assertThat(exported)
          .as("tasker_%s in tasker.h", f.cName())
          .containsEntry(f.cName(), AbiFunction.C_RETURN_TYPE + f.cParameterTypes());
    }
    // the rest are implemented in C alone
    assertThat(exported.keySet())
        .containsExactlyInAnyOrder(
            "abi_version",
            "init",
            "worker_start",
            "worker_stop",
            "worker_status",
            "poll",
            "complete",
            "checkpoint",
            "client",
            "log",
            "buf_free",
            "shutdown");
  }

  @Test
  void statusCodesMatch() throws Exception {
    Matcher m = STATUS.matcher(Files.readString(include().resolve("tasker.h")));
    Map<String, Integer> c = new LinkedHashMap<>();
    while (m.find()) {
      c.put("TASKER_" + m.group(1), Integer.parseInt(m.group(2)));
    }
    Map<String, Integer> java = new LinkedHashMap<>();
    for (Status s : Status.values()) {
      java.put(s.cName(), s.code());
    }
    assertThat(c).containsExactlyInAnyOrderEntriesOf(java);
  }

  @Test
  void parameterTypesAreParsedAsWritten() {
    assertThat(parameterTypes("const uint8_t* cfg, size_t cfg_len, tasker_buf* out"))
        .containsExactly("const uint8_t*", "size_t", "tasker_buf*");
    assertThat(parameterTypes("void")).isEmpty();
    assertThat(parameterTypes("int32_t level,\n  const uint8_t *json"))
        .containsExactly("int32_t", "const uint8_t*");
  }
}
