/* Booting a JVM in this process, or attaching to the one that already runs, and installing the
 * Java bridge that fills the upcall table. */
#ifndef TASKER_JVM_H
#define TASKER_JVM_H

#include "config.h"
#include "upcalls.h"

/* Boots or attaches and runs io.tasker.ffi.Bootstrap.install(table). Returns TASKER_OK or
 * TASKER_E_JVM with a message in err. *attached tells which way it went. */
int32_t jvm_start(const init_config* cfg, tasker_upcalls* table, int* attached, char* err,
                  size_t errlen);

/* Destroys the JVM if jvm_start created it (waits at most a few seconds); no-op when attached. */
void jvm_stop(void);

#endif
