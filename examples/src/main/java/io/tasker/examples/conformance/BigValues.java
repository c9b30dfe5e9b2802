package io.tasker.examples.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.worker.PermanentError;
import java.math.BigInteger;

/**
 * Integers as the conformance workflows pass them: a JSON number while it fits in 2^53−1 (what
 * every language's JSON reads exactly), a decimal string beyond that.
 */
public final class BigValues {
  /** 2^53−1, the largest integer a double (JavaScript's only number) holds exactly. */
  public static final BigInteger MAX_SAFE = BigInteger.valueOf((1L << 53) - 1);

  private BigValues() {}

  /**
   * Reads an integer given as a JSON number or a decimal string; {@code what} names it in errors.
   */
  public static BigInteger read(JsonNode node, String what) {
    try {
      if (node.isIntegralNumber()) {
        return node.bigIntegerValue();
      }
      if (node.isNumber()) {
        return node.decimalValue().toBigIntegerExact();
      }
      if (node.isTextual()) {
        return new BigInteger(node.textValue().trim());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // fall through to the error below
    }
    throw new PermanentError(what + " must be an integer, got " + node, "validation_error");
  }

  /** A number when {@code |n| ≤ 2^53−1}, else its decimal string. */
  public static JsonNode write(BigInteger n) {
    return n.abs().compareTo(MAX_SAFE) <= 0
        ? JsonNodeFactory.instance.numberNode(n.longValueExact())
        : JsonNodeFactory.instance.textNode(n.toString());
  }

  /** {@code {"value": n}}. */
  public static ObjectNode valueResult(BigInteger n) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.set("value", write(n));
    return result;
  }
}
