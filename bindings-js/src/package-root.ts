import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory of this package's package.json (the nearest one named tasker-core-ts above this
 * file), whether it runs from `dist/` of an installed copy or from a development build; undefined
 * when there is none (e.g. inside a bundle).
 */
export function packageRoot(): { dir: string; version: string } | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "tasker-core-ts") return { dir, version: pkg.version ?? "unknown" };
    } catch {
      // no package.json here; look further up
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
