#ifndef TMS_MALLOC_CONFIG_H
#define TMS_MALLOC_CONFIG_H

/// Makes the heap grow by `bytes` beyond what an allocation lacks each time it grows (glibc's
/// M_TOP_PAD); does nothing where the C library has no mallopt.
void tms_malloc_top_pad(int bytes);

#endif
