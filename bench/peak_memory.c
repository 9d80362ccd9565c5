/*
 * peak_memory.c: read the peak resident set size from /proc/self/status
 * (plain C99 file reading; other systems get -1).
 */
#include "peak_memory.h"

#include <stdio.h>

double peak_memory_mib(void)
{
    char line[256];
    double kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %lf kB", &kib) == 1)
            break;
    fclose(f);
    return kib < 0 ? -1 : kib / 1024;
}
