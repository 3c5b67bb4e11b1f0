#include <sqlite3.h>
#include "sqlite_config.h"

int CSQLiteConfig_memstatus(int on) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on); }
