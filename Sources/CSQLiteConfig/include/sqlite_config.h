#ifndef TMS_SQLITE_CONFIG_H
#define TMS_SQLITE_CONFIG_H

/// `sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on)`, which Swift cannot call (it is variadic).
/// Returns SQLite's result code: SQLITE_MISUSE once SQLite has been initialized (a connection
/// was opened), when the process's setting can no longer change.
int CSQLiteConfig_memstatus(int on);

/// Makes the process's default VFS one that writes a WAL's frames a commit at a time
/// (wal_writes.c), over the default one. Call before the first connection opens.
int CSQLiteConfig_walWrites(void);

#endif
