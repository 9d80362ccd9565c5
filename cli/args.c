/*
 * args.c: option parsing with one-line errors and truthful --help.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "vdl %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static void print_help(const char *cmd, const char *usage, const char *about, const cli_opt *opts)
{
    int i;
    printf("usage: vdl %s %s\n\n%s\n\noptions:\n", cmd, usage, about);
    for (i = 0; opts[i].name; i++) {
        char left[48];
        snprintf(left, sizeof left, "%s%s%s", opts[i].name, opts[i].metavar ? " " : "",
                 opts[i].metavar ? opts[i].metavar : "");
        printf("  %-22s %s\n", left, opts[i].help);
    }
    printf("  %-22s %s\n", "--help", "show this help");
}

static int parse_value(const cli_opt *o, const char *text)
{
    char *end;
    errno = 0;
    if (o->kind == OPT_INT) {
        long v = strtol(text, &end, 10);
        if (end == text || *end || errno || v < -2147483647L || v > 2147483647L)
            return 0;
        *(int *)o->dest = (int)v;
    } else if (o->kind == OPT_DOUBLE) {
        double v = strtod(text, &end);
        if (end == text || *end || errno || !isfinite(v))
            return 0;
        *(double *)o->dest = v;
    } else {
        *(const char **)o->dest = text;
    }
    return 1;
}

static const cli_opt *find_opt(const cli_opt *opts, const char *arg)
{
    int k;
    for (k = 0; opts[k].name; k++)
        if (strcmp(arg, opts[k].name) == 0)
            return &opts[k];
    return NULL;
}

int cli_given(int argc, char **argv, const cli_opt *opts, const char *name)
{
    int i;
    for (i = 1; i < argc; i++) {
        const cli_opt *o = find_opt(opts, argv[i]);
        if (o && strcmp(o->name, name) == 0)
            return 1;
        if (o && o->kind != OPT_FLAG)
            i++; /* its value, even if it looks like an option */
    }
    return 0;
}

int cli_close_stdout(int code)
{
    int failed = fflush(stdout) != 0, err = errno;
    if (failed || ferror(stdout)) {
        fprintf(stderr, "vdl: cannot write the output: %s\n", failed ? strerror(err) : "a write failed");
        return code ? code : 1;
    }
    return code;
}

int cli_parse(int argc, char **argv, const char *cmd, const char *usage, const char *about,
              const cli_opt *opts, const char **pos, int max_pos, int *n_pos, int *exit_code)
{
    int i;
    *n_pos = 0;
    *exit_code = 2;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const cli_opt *o;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help(cmd, usage, about, opts);
            *exit_code = 0;
            return 1;
        }
        if (arg[0] != '-' || arg[1] == '\0') {
            if (*n_pos == max_pos) {
                cli_fail(cmd, "unexpected argument '%s' (see vdl %s --help)", arg, cmd);
                return 1;
            }
            pos[(*n_pos)++] = arg;
            continue;
        }
        if (!(o = find_opt(opts, arg))) {
            cli_fail(cmd, "unknown option '%s' (see vdl %s --help)", arg, cmd);
            return 1;
        }
        if (o->kind == OPT_FLAG) {
            *(int *)o->dest = 1;
            continue;
        }
        if (i + 1 >= argc) {
            cli_fail(cmd, "option %s needs a value (%s)", o->name, o->metavar);
            return 1;
        }
        if (!parse_value(o, argv[++i])) {
            cli_fail(cmd, "option %s: '%s' is not a valid %s", o->name, argv[i],
                     o->kind == OPT_INT ? "whole number" : "number");
            return 1;
        }
    }
    *exit_code = 0;
    return 0;
}

int cli_parse_list(const char *text, double *out, int max)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        char *end;
        double v;
        errno = 0;
        v = strtod(p, &end);
        if (end == p || errno || !isfinite(v) || n == max)
            return -1;
        out[n++] = v;
        if (*end == ',')
            end++;
        else if (*end)
            return -1;
        p = end;
    }
    return n ? n : -1;
}

int cli_set_threads(const char *cmd, int n)
{
    if (n < 0 || n > CLI_MAX_THREADS)
        return cli_fail(cmd, "--threads must be in 0..%d (0: all cores), got %d", CLI_MAX_THREADS, n);
    vdl_set_threads(n);
    return 0;
}

void cli_set_help(cli_opt *opts, const char *name, const char *help)
{
    int i;
    for (i = 0; opts[i].name; i++)
        if (strcmp(opts[i].name, name) == 0)
            opts[i].help = help;
}
