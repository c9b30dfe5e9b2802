/**
 * A fresh PostgreSQL database per test file: on DATABASE_URL's server if set, else on the
 * project's embedded server (`scripts/tasker db url` starts it on demand). Created and dropped with
 * psql; the core migrates it when a worker or client first connects.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");

function serverUrl(): string {
  const fromEnv = process.env["TASKER_TEST_SERVER_URL"] ?? process.env["DATABASE_URL"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return execFileSync(join(repoRoot, "scripts", "tasker"), ["db", "url"], { encoding: "utf8" }).trim();
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = "/" + name;
  return u.toString();
}

function psql(url: string, sql: string): void {
  execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], { stdio: ["ignore", "ignore", "pipe"] });
}

export interface TestDatabase {
  readonly url: string;
  drop(): void;
}

export function freshDatabase(label: string): TestDatabase {
  const server = serverUrl();
  const name = `tasker_ts_${label}_${process.pid}_${randomBytes(3).toString("hex")}`;
  psql(withDatabase(server, "postgres"), `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(server, name),
    drop: () => {
      try {
        psql(withDatabase(server, "postgres"), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch {
        // a leftover database is harmless; the embedded server's test runs clean up their own
      }
    },
  };
}
