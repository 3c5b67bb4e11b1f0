// A VFS over the default one that writes a WAL's frames a commit at a time.
//
// SQLite writes each WAL frame with two calls, its 24-byte header and its page: a commit of 40
// creates is some 40 `pwrite` calls, 11,000 for 10,000 creates, and the writer spends about
// as much time in the kernel as in SQLite's B-trees. Here the consecutive writes to a WAL are
// held in a buffer and written when the commit's last frame (the one whose header carries the
// database size) has been given, in the same call, whose result is that write's: a failure
// fails the commit as it would have. Anything else that touches the file (a read, a sync, its
// size, a truncation, a file control, closing it) or a write elsewhere in it writes what is
// held first. Only the connection that opened a file calls its methods, one at a time, so a
// file's buffer needs no lock; between commits nothing is held but the frames of a
// transaction still open (a cache spill), which no other connection reads.
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite_config.h"

typedef struct WalFile {
    sqlite3_file base;
    sqlite3_file *real;   // the default VFS's file, allocated right after this struct
    int isWal;
    unsigned char *held;  // bytes to write at `at`
    int count, capacity;
    sqlite3_int64 at;
    int commitNext;       // the next write is the page of a commit frame
} WalFile;

static sqlite3_vfs walVfs;
static sqlite3_vfs *defaultVfs;

#define REAL(file) (((WalFile *)(file))->real)

// The unix VFS writes at most 128 KB a call (it masks the size with 0x1ffff): written in parts.
static int writeHeld(WalFile *f) {
    int rc = SQLITE_OK;
    for (int done = 0; done < f->count && rc == SQLITE_OK; done += 65536) {
        int part = f->count - done < 65536 ? f->count - done : 65536;
        rc = f->real->pMethods->xWrite(f->real, f->held + done, part, f->at + done);
    }
    f->count = 0;
    return rc;
}

// What is held, written before anything else touches a WAL; nothing for other files.
static int writeHeldFirst(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    return f->isWal ? writeHeld(f) : SQLITE_OK;
}

static int walClose(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    int rc = writeHeldFirst(file);
    free(f->held);
    int closed = f->real->pMethods->xClose(f->real);
    return rc != SQLITE_OK ? rc : closed;
}

static int walRead(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset) {
    int rc = writeHeldFirst(file);
    return rc != SQLITE_OK ? rc : REAL(file)->pMethods->xRead(REAL(file), out, amount, offset);
}

static int walWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    WalFile *f = (WalFile *)file;
    if (!f->isWal) return f->real->pMethods->xWrite(f->real, data, amount, offset);
    int endsCommit = f->commitNext;
    // A frame's header (after the WAL's own 32-byte header): bytes 4-7 are the database's size
    // after a commit, 0 in the frames before its last.
    const unsigned char *b = data;
    f->commitNext = amount == 24 && offset >= 32 && (b[4] | b[5] | b[6] | b[7]) != 0;
    // Not the next bytes of what is held (a header rewritten in place, the WAL started over):
    // what is held goes first.
    if (f->count > 0 && offset != f->at + f->count) {
        int rc = writeHeld(f);
        if (rc != SQLITE_OK) return rc;
    }
    if (f->count + amount > f->capacity) {
        if (f->count + amount > (1 << 20)) {
            // A large transaction: what is held goes now, and this write as it is.
            int rc = writeHeld(f);
            return rc != SQLITE_OK ? rc : f->real->pMethods->xWrite(f->real, data, amount, offset);
        }
        int capacity = f->capacity ? f->capacity : 65536;
        while (capacity < f->count + amount) capacity *= 2;
        unsigned char *grown = realloc(f->held, capacity);
        if (!grown) {
            int rc = writeHeld(f);
            return rc != SQLITE_OK ? rc : f->real->pMethods->xWrite(f->real, data, amount, offset);
        }
        f->held = grown;
        f->capacity = capacity;
    }
    if (f->count == 0) f->at = offset;
    memcpy(f->held + f->count, data, amount);
    f->count += amount;
    return endsCommit ? writeHeld(f) : SQLITE_OK;
}

static int walTruncate(sqlite3_file *file, sqlite3_int64 size) {
    int rc = writeHeldFirst(file);
    return rc != SQLITE_OK ? rc : REAL(file)->pMethods->xTruncate(REAL(file), size);
}
static int walSync(sqlite3_file *file, int flags) {
    int rc = writeHeldFirst(file);
    return rc != SQLITE_OK ? rc : REAL(file)->pMethods->xSync(REAL(file), flags);
}
static int walFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    int rc = writeHeldFirst(file);
    return rc != SQLITE_OK ? rc : REAL(file)->pMethods->xFileSize(REAL(file), size);
}
static int walFileControl(sqlite3_file *file, int op, void *arg) {
    int rc = writeHeldFirst(file);
    return rc != SQLITE_OK ? rc : REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}
static int walLock(sqlite3_file *file, int level) { return REAL(file)->pMethods->xLock(REAL(file), level); }
static int walUnlock(sqlite3_file *file, int level) { return REAL(file)->pMethods->xUnlock(REAL(file), level); }
static int walCheckReservedLock(sqlite3_file *file, int *out) { return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out); }
static int walSectorSize(sqlite3_file *file) { return REAL(file)->pMethods->xSectorSize(REAL(file)); }
static int walDeviceCharacteristics(sqlite3_file *file) { return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file)); }
static int walShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **out) {
    return REAL(file)->pMethods->xShmMap(REAL(file), region, size, extend, out);
}
static int walShmLock(sqlite3_file *file, int offset, int n, int flags) { return REAL(file)->pMethods->xShmLock(REAL(file), offset, n, flags); }
static void walShmBarrier(sqlite3_file *file) { REAL(file)->pMethods->xShmBarrier(REAL(file)); }
static int walShmUnmap(sqlite3_file *file, int delete) { return REAL(file)->pMethods->xShmUnmap(REAL(file), delete); }
static int walFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out) { return REAL(file)->pMethods->xFetch(REAL(file), offset, amount, out); }
static int walUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) { return REAL(file)->pMethods->xUnfetch(REAL(file), offset, page); }

static const sqlite3_io_methods walMethods = {
    3, walClose, walRead, walWrite, walTruncate, walSync, walFileSize, walLock, walUnlock, walCheckReservedLock,
    walFileControl, walSectorSize, walDeviceCharacteristics, walShmMap, walShmLock, walShmBarrier, walShmUnmap,
    walFetch, walUnfetch,
};

static int walOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    WalFile *f = (WalFile *)file;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)&f[1];
    int rc = defaultVfs->xOpen(defaultVfs, name, f->real, flags, outFlags);
    if (rc != SQLITE_OK || f->real->pMethods == NULL) {
        file->pMethods = NULL;
        return rc;
    }
    f->isWal = (flags & SQLITE_OPEN_WAL) != 0;
    file->pMethods = f->real->pMethods->iVersion >= 3 ? &walMethods : NULL;
    if (file->pMethods == NULL) {
        // An old file interface: not wrapped (close what was opened).
        f->real->pMethods->xClose(f->real);
        return SQLITE_CANTOPEN;
    }
    return rc;
}

static int vDelete(sqlite3_vfs *v, const char *n, int s) { return defaultVfs->xDelete(defaultVfs, n, s); }
static int vAccess(sqlite3_vfs *v, const char *n, int fl, int *r) { return defaultVfs->xAccess(defaultVfs, n, fl, r); }
static int vFullPathname(sqlite3_vfs *v, const char *n, int o, char *out) { return defaultVfs->xFullPathname(defaultVfs, n, o, out); }
static void *vDlOpen(sqlite3_vfs *v, const char *n) { return defaultVfs->xDlOpen(defaultVfs, n); }
static void vDlError(sqlite3_vfs *v, int n, char *m) { defaultVfs->xDlError(defaultVfs, n, m); }
static void (*vDlSym(sqlite3_vfs *v, void *h, const char *s))(void) { return defaultVfs->xDlSym(defaultVfs, h, s); }
static void vDlClose(sqlite3_vfs *v, void *h) { defaultVfs->xDlClose(defaultVfs, h); }
static int vRandomness(sqlite3_vfs *v, int n, char *o) { return defaultVfs->xRandomness(defaultVfs, n, o); }
static int vSleep(sqlite3_vfs *v, int us) { return defaultVfs->xSleep(defaultVfs, us); }
static int vCurrentTime(sqlite3_vfs *v, double *t) { return defaultVfs->xCurrentTime(defaultVfs, t); }
static int vGetLastError(sqlite3_vfs *v, int n, char *m) { return defaultVfs->xGetLastError(defaultVfs, n, m); }
static int vCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *t) { return defaultVfs->xCurrentTimeInt64(defaultVfs, t); }

int CSQLiteConfig_walWrites(void) {
    if (defaultVfs) return SQLITE_OK;
    sqlite3_vfs *found = sqlite3_vfs_find(NULL);
    if (found == NULL || found->iVersion < 2) return SQLITE_ERROR;
    defaultVfs = found;
    walVfs = (sqlite3_vfs){
        .iVersion = 2, .szOsFile = (int)sizeof(WalFile) + found->szOsFile, .mxPathname = found->mxPathname,
        .zName = "tms-wal-writes", .xOpen = walOpen, .xDelete = vDelete, .xAccess = vAccess,
        .xFullPathname = vFullPathname, .xDlOpen = vDlOpen, .xDlError = vDlError, .xDlSym = vDlSym,
        .xDlClose = vDlClose, .xRandomness = vRandomness, .xSleep = vSleep, .xCurrentTime = vCurrentTime,
        .xGetLastError = vGetLastError, .xCurrentTimeInt64 = vCurrentTimeInt64,
    };
    return sqlite3_vfs_register(&walVfs, 1);
}
