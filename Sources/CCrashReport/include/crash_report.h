#ifndef TMS_CRASH_REPORT_H
#define TMS_CRASH_REPORT_H

/// Replaces the Swift runtime's crash report (which prints registers and the memory they point
/// at, where an API key can be) with tms's own: the signal, a request to report the bug, and
/// where tms was (program and offset, for addr2line). Does nothing when SWIFT_BACKTRACE is
/// set: whoever sets it chose the runtime's report.
void tms_install_crash_report(void);

#endif
