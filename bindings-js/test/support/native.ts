/**
 * Whether the native pieces (addon, libtasker.so, core jar) are there. Tests that need them are
 * skipped with the reason when they are missing, unless TASKER_REQUIRE_NATIVE=1 (set by the Maven
 * build, which builds them first): then a missing piece fails the run.
 */
import { locateNative } from "../../src/index.js";

export function nativeSkipReason(): string | false {
  try {
    locateNative();
    return false;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env["TASKER_REQUIRE_NATIVE"] === "1") throw error;
    return `native library not available: ${reason}`;
  }
}
