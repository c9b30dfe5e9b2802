package io.tasker.examples.conformance;

import static io.tasker.examples.Contexts.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.worker.PermanentError;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class BigValuesTest {
  private static final BigInteger MAX_SAFE = BigInteger.TWO.pow(53).subtract(BigInteger.ONE);

  @Test
  void writesANumberUpTo2To53Minus1AndAStringBeyond() {
    assertThat(BigValues.write(MAX_SAFE)).isEqualTo(json("9007199254740991"));
    assertThat(BigValues.write(MAX_SAFE.negate())).isEqualTo(json("-9007199254740991"));
    assertThat(BigValues.write(MAX_SAFE.add(BigInteger.ONE))).isEqualTo(json("'9007199254740992'"));
    assertThat(BigValues.write(MAX_SAFE.negate().subtract(BigInteger.ONE)))
        .isEqualTo(json("'-9007199254740992'"));
  }

  @Test
  void readsNumbersAndDecimalStrings() {
    assertThat(BigValues.read(json("36"), "v")).isEqualTo(36);
    assertThat(BigValues.read(json("6.0"), "v")).isEqualTo(6);
    assertThat(BigValues.read(json("'123456789012345678901234567890'"), "v"))
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void rejectsWhatIsNotAnInteger() {
    for (String bad : new String[] {"'six'", "6.5", "null", "{}"}) {
      assertThatThrownBy(() -> BigValues.read(json(bad), "even_number"))
          .isInstanceOf(PermanentError.class)
          .hasMessageContaining("even_number");
    }
    assertThatThrownBy(() -> BigValues.read(json("{}").path("value"), "value"))
        .isInstanceOf(PermanentError.class);
  }
}
