/*
 * cpu_info.c: clock and SIMD width from /proc/cpuinfo; the build's own SIMD
 * from the compiler's predefined macros.
 */
#include "cpu_info.h"

#include <stdio.h>
#include <string.h>

/* Copy the first line of /proc/cpuinfo that starts with `key` into line. */
static int cpuinfo_line(const char *key, char *line, int size)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    int found = 0;
    if (!f)
        return 0;
    while (!found && fgets(line, size, f))
        found = strncmp(line, key, strlen(key)) == 0;
    fclose(f);
    return found;
}

double cpu_ghz(void)
{
    char line[256];
    double mhz = 0;
    if (cpuinfo_line("cpu MHz", line, sizeof line) && sscanf(strchr(line, ':') + 1, "%lf", &mhz) == 1)
        return mhz / 1000;
    return 0;
}

/* 1 if the flags line holds the whole word `flag`. */
static int has_flag(const char *flags, const char *flag)
{
    const size_t n = strlen(flag);
    const char *p = flags;
    while ((p = strstr(p, flag)) != NULL) {
        if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

double cpu_fp32_flops_per_cycle(void)
{
    static char line[8192];
    if (!cpuinfo_line("flags", line, sizeof line))
        return 0;
    if (has_flag(line, "avx2") && has_flag(line, "fma"))
        return 32;
    return has_flag(line, "avx") ? 16 : 8;
}

const char *cpu_build_simd(void)
{
#if defined(__AVX512F__)
    return "AVX-512";
#elif defined(__AVX2__) && defined(__FMA__)
    return "AVX2+FMA";
#elif defined(__AVX__)
    return "AVX";
#elif defined(__SSE2__) || defined(_M_X64)
    return "SSE2";
#else
    return "scalar or unknown";
#endif
}
