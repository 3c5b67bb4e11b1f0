// tms's crash report, in C because a signal handler may only make async-signal-safe calls
// (write, backtrace_symbols_fd, signal, raise): no allocation, no locks, no Swift runtime.
#include "crash_report.h"

#include <execinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(2, text, left);
        if (n <= 0) return;
        text += n;
        left -= (size_t)n;
    }
}

static const char *describe(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV, a bad memory access";
    case SIGBUS: return "SIGBUS, a bad memory access";
    case SIGILL: return "SIGILL, a failed runtime check";
    case SIGTRAP: return "SIGTRAP, a failed runtime check";
    case SIGFPE: return "SIGFPE, an arithmetic fault";
    case SIGABRT: return "SIGABRT, aborted";
    default: return "a fatal signal";
    }
}

static void on_crash(int sig) {
    say("\ntms crashed (");
    say(describe(sig));
    say("). This is a bug in tms: please report it, with what you ran.\n"
        "Where it was (program and offset; `addr2line -f -e PROGRAM OFFSET` names the function;\n"
        "no data, no key: SWIFT_BACKTRACE=enable=yes gives the Swift runtime's fuller report,\n"
        "which shows memory and so can show an API key):\n");
    void *frames[64];
    int count = backtrace(frames, 64);
    backtrace_symbols_fd(frames, count, 2);
    // SA_RESETHAND made the action the default one: the process ends by this signal as it
    // would have without the report (exit status, core dump).
    signal(sig, SIG_DFL);
    raise(sig);
}

// The handler's own stack, so that a stack overflow can still be reported (on the main
// thread; other threads have none and end silently). Written only by the kernel.
static char alternate_stack[64 * 1024];

void tms_install_crash_report(void) {
    if (getenv("SWIFT_BACKTRACE") != NULL) return;
    // backtrace() loads libgcc_s on its first call, which a signal handler must not do.
    void *frame[1];
    (void)backtrace(frame, 1);
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    (void)sigaltstack(&stack, NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_crash;
    action.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) (void)sigaction(signals[i], &action, NULL);
}
