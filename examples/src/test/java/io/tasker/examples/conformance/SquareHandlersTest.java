package io.tasker.examples.conformance;

import static io.tasker.examples.Contexts.json;
import static io.tasker.examples.Contexts.step;
import static io.tasker.examples.Results.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.PermanentError;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The linear, diamond, tree and mixed DAG workflows, driven step by step as the engine would. */
class SquareHandlersTest {
  private static final String SIX_TO_THE_64 = "63340286662973277706162286946811886609896461828096";

  private final SquareInputHandler squareInput = new SquareInputHandler();
  private final SquareParentsHandler squareParents = new SquareParentsHandler();

  private JsonNode start(int evenNumber) throws Exception {
    return success(
        squareInput,
        step()
            .withTask("{'even_number': " + evenNumber + "}")
            .withConfig("{'input_key': 'even_number'}"));
  }

  private JsonNode join(JsonNode... parents) throws Exception {
    var ctx = step();
    for (int i = 0; i < parents.length; i++) {
      ctx = ctx.withParent("parent_" + i, parents[i]);
    }
    return success(squareParents, ctx);
  }

  @Test
  void sixToThe64IsTheExpectedDigits() {
    assertThat(BigInteger.valueOf(6).pow(64)).hasToString(SIX_TO_THE_64);
  }

  @Test
  void linear() throws Exception {
    JsonNode step1 = start(6);
    assertThat(step1).isEqualTo(json("{'value': 36}"));
    JsonNode step4 = join(join(join(step1)));
    assertThat(step4).isEqualTo(json("{'value': 2821109907456}"));
    assertThat(step4.get("value").isIntegralNumber()).isTrue();
  }

  @Test
  void diamond() throws Exception {
    JsonNode root = start(6);
    assertThat(join(join(root), join(root))).isEqualTo(json("{'value': 2821109907456}"));
  }

  @Test
  void treeEndsInADecimalString() throws Exception {
    JsonNode root = start(6);
    JsonNode left = join(root);
    JsonNode right = join(root);
    assertThat(left).isEqualTo(json("{'value': 1296}"));
    JsonNode leaf = join(left);
    assertThat(leaf).isEqualTo(json("{'value': 1679616}"));
    JsonNode fin = join(leaf, join(left), join(right), join(right));
    assertThat(fin).isEqualTo(json("{'value': '" + SIX_TO_THE_64 + "'}"));
    assertThat(fin.get("value").isTextual()).isTrue();
  }

  @Test
  void mixedDag() throws Exception {
    JsonNode init = start(6);
    JsonNode left = join(init);
    JsonNode right = join(init);
    JsonNode validate = join(left, right);
    JsonNode transform = join(left);
    JsonNode analyze = join(right);
    assertThat(join(validate, transform, analyze))
        .isEqualTo(json("{'value': '" + SIX_TO_THE_64 + "'}"));
  }

  @Test
  void readsParentValuesGivenAsStrings() throws Exception {
    JsonNode big = json("{'value': '9007199254740993'}");
    assertThat(join(big))
        .isEqualTo(json("{'value': '81129638414606699710187514626049'}")); // (2^53 + 1)^2
  }

  @Test
  void badInputFailsPermanently() {
    assertThatThrownBy(
            () ->
                squareInput.call(
                    step()
                        .withTask("{'even_number': 'six'}")
                        .withConfig("{'input_key': 'even_number'}")
                        .build()))
        .isInstanceOf(PermanentError.class)
        .hasMessageContaining("even_number");
    assertThatThrownBy(() -> squareInput.call(step().build()))
        .isInstanceOf(PermanentError.class)
        .hasMessageContaining("input_key");
    assertThatThrownBy(() -> squareParents.call(step().build())).isInstanceOf(PermanentError.class);
  }
}
