#ifndef TMS_SQLITE_CONFIG_H
#define TMS_SQLITE_CONFIG_H

/// `sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on)`, which Swift cannot call (it is variadic).
/// Returns SQLite's result code: SQLITE_MISUSE once SQLite has been initialized (a connection
/// was opened), when the process's setting can no longer change.
int CSQLiteConfig_memstatus(int on);

#endif
