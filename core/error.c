/*
 * error.c: the process-wide "last error" message behind vdl_error().
 */
#include "vdl_base.h"

#include <stdarg.h>
#include <stdio.h>

static char last_error[512];

int vdl_set_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

const char *vdl_error(void) { return last_error; }

void vdl_clear_error(void) { last_error[0] = '\0'; }
