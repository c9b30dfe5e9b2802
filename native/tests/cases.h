/* The driver's cases; each returns the process exit code (0: every check passed). */
#ifndef TASKER_TEST_CASES_H
#define TASKER_TEST_CASES_H

#include <stdio.h>

#include "driver.h"

int case_misuse(void);
int case_no_jvm(void);
int case_workflow(const char* templates_dir, const char* abi_test_dir);
int case_deadline(const char* abi_test_dir);
int case_backpressure(const char* abi_test_dir);
int case_threads(const char* templates_dir, int threads, int per_thread);
int case_shutdown_order(const char* abi_test_dir);
int case_bench(int events);

#endif
