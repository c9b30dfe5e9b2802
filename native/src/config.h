/* The part of tasker_init's JSON configuration that C needs before a JVM exists. */
#ifndef TASKER_CONFIG_H
#define TASKER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define TASKER_CFG_MAX_LIST 64

typedef struct init_config {
  char* classpath[TASKER_CFG_MAX_LIST];
  int classpath_count;
  char* jvm_options[TASKER_CFG_MAX_LIST];
  int jvm_option_count;
  char* java_home;
  char* libjvm;
  char* aot_cache;
} init_config;

/* Parses cfg (NULL or empty: defaults). Returns 0, or -1 with a message naming the JSON path in
 * err (size errlen). The whole document must be valid JSON; unknown keys are left to Java. */
int config_parse(const uint8_t* cfg, size_t n, init_config* out, char* err, size_t errlen);
void config_free(init_config* c);

#endif
