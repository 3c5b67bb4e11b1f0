// Fixed-argument wrappers for libedit's variadic calls, which Swift cannot make, and for the
// C globals stdin/stdout/stderr, which Swift 6 refuses. Nothing else lives in C.
#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H

#include <stdio.h>
#include <histedit.h>

static inline EditLine *CEditLine_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}
static inline int CEditLine_el_set_prompt(EditLine *e, char *(*prompt)(EditLine *)) {
    // Text between two \1 characters (colour codes) takes no room on the line.
    return el_set(e, EL_PROMPT_ESC, prompt, '\1');
}
static inline int CEditLine_el_set_editor(EditLine *e, const char *mode) {
    return el_set(e, EL_EDITOR, mode);
}
static inline int CEditLine_el_set_signal(EditLine *e, int on) {
    return el_set(e, EL_SIGNAL, on);
}
static inline int CEditLine_el_set_clientdata(EditLine *e, void *data) {
    return el_set(e, EL_CLIENTDATA, data);
}
static inline void *CEditLine_el_get_clientdata(EditLine *e) {
    void *data = NULL;
    el_get(e, EL_CLIENTDATA, &data);
    return data;
}
static inline int CEditLine_el_add_function(EditLine *e, const char *name, const char *help,
                                            unsigned char (*function)(EditLine *, int)) {
    return el_set(e, EL_ADDFN, name, help, function);
}
static inline int CEditLine_el_bind(EditLine *e, const char *key, const char *name) {
    return el_set(e, EL_BIND, key, name, NULL);
}
static inline int CEditLine_el_setty(EditLine *e, const char *a, const char *b) {
    return el_set(e, EL_SETTY, a, b, NULL);
}
static inline int CEditLine_el_set_history(EditLine *e, History *h) {
    return el_set(e, EL_HIST, history, h);
}
static inline int CEditLine_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}
static inline int CEditLine_history_setunique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}
static inline int CEditLine_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}
static inline int CEditLine_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}
static inline int CEditLine_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}
static inline void CEditLine_flush_stdout(void) {
    fflush(stdout);
}
static inline void CEditLine_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

#endif
