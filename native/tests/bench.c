#include "cases.h"
int case_bench(int events) { (void)events; return 2; }
