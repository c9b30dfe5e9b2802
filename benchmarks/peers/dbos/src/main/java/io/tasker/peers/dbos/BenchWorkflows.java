package io.tasker.peers.dbos;

/** The benchmark's workflows; DBOS wraps an implementation in a durable proxy. */
public interface BenchWorkflows {
  /** Four no-op steps in a row: s1, s2, s3, s4. */
  String linear();

  /** start, then left and right in parallel, then join: four no-op steps. */
  String diamond();

  /** One branch of the diamond: one no-op step. */
  String branch(String name);
}
