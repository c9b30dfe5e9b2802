/*
 * The upcall table: one function pointer per ABI function that runs Java code, filled by the
 * Java bootstrap (io.tasker.ffi.Bootstrap.install) with Linker.upcallStub addresses. The order,
 * names and signatures must match io.tasker.ffi.AbiFunction (AbiTableConsistencyTest checks).
 */
#ifndef TASKER_UPCALLS_H
#define TASKER_UPCALLS_H

#include "tasker.h"

typedef struct tasker_upcalls {
  int32_t (*init)(const uint8_t* cfg, size_t cfg_len, tasker_buf* out);
  int32_t (*worker_start)(const uint8_t* cfg, size_t cfg_len, tasker_buf* out);
  int32_t (*worker_stop)(uint32_t grace_ms, tasker_buf* out);
  int32_t (*worker_status)(tasker_buf* out);
  int32_t (*poll)(uint32_t max, uint32_t timeout_ms, tasker_buf* out);
  int32_t (*complete)(const uint8_t* json, size_t json_len, tasker_buf* out);
  int32_t (*checkpoint)(const uint8_t* json, size_t json_len, tasker_buf* out);
  int32_t (*client)(const uint8_t* req, size_t req_len, tasker_buf* out);
  int32_t (*log)(int32_t level, const uint8_t* json, size_t json_len);
  int32_t (*shutdown)(void);
} tasker_upcalls;

#define TASKER_UPCALL_COUNT ((int32_t)(sizeof(tasker_upcalls) / sizeof(void*)))

#endif
