/*
 * results.c: one run's result as a two-line CSV file (header, values).
 */
#include "vdl_repro.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS (3 + 2 + REPRO_PRUNE_STEPS + 6)

static const char header[] =
    "method,lambda,seed,accuracy,mc_accuracy,prune0,prune10,prune20,prune30,prune40,prune50,"
    "prune60,prune70,prune80,prune90,stability,updates,log_likelihood,kl,evidence,seconds\n";

void repro_run_name(char *buf, size_t len, char method, double lambda, int seed)
{
    snprintf(buf, len, "%c-l%g-s%d.csv", method, lambda, seed);
}

/* The numeric fields in file order (after the method letter). */
static void numbers(const repro_result *r, double *v)
{
    int k, i = 0;
    v[i++] = r->lambda;
    v[i++] = r->seed;
    v[i++] = r->accuracy;
    v[i++] = r->mc_accuracy;
    for (k = 0; k < REPRO_PRUNE_STEPS; k++)
        v[i++] = r->prune[k];
    v[i++] = r->stability;
    v[i++] = r->updates;
    v[i++] = r->log_likelihood;
    v[i++] = r->kl;
    v[i++] = r->evidence;
    v[i++] = r->seconds;
}

int repro_result_write(const char *path, const repro_result *r)
{
    char line[1024];
    double v[FIELDS - 1];
    size_t at;
    int i, rc;
    vdl_wbuf b;
    numbers(r, v);
    at = (size_t)snprintf(line, sizeof line, "%c", r->method);
    for (i = 0; i < FIELDS - 1; i++)
        at += (size_t)snprintf(line + at, sizeof line - at, ",%.17g", v[i]);
    snprintf(line + at, sizeof line - at, "\n");
    vdl_wbuf_init(&b);
    vdl_wbuf_bytes(&b, header, strlen(header));
    vdl_wbuf_bytes(&b, line, strlen(line));
    rc = b.failed ? VDL_ENOMEM : vdl_write_file_atomic(path, b.data, b.len);
    vdl_wbuf_free(&b);
    return rc;
}

int repro_result_read(const char *path, repro_result *r)
{
    unsigned char *data;
    size_t len;
    double v[FIELDS - 1];
    char *p, *end;
    int i, k, rc = vdl_read_file(path, 1 << 16, &data, &len);
    memset(r, 0, sizeof *r);
    if (rc)
        return rc;
    rc = vdl_set_error(VDL_EFORMAT, "'%s' is not a vdl run result", path);
    if (len > strlen(header) && memcmp(data, header, strlen(header)) == 0 && data[len - 1] == '\n') {
        data[len - 1] = '\0';
        p = (char *)data + strlen(header);
        r->method = *p++;
        for (i = 0; i < FIELDS - 1 && *p == ','; i++) {
            v[i] = strtod(p + 1, &end);
            if (end == p + 1)
                break;
            p = end;
        }
        if (i == FIELDS - 1 && *p == '\0' && r->method >= 'a' && r->method <= 'f') {
            i = 0;
            r->lambda = v[i++];
            r->seed = (int)v[i++];
            r->accuracy = v[i++];
            r->mc_accuracy = v[i++];
            for (k = 0; k < REPRO_PRUNE_STEPS; k++)
                r->prune[k] = v[i++];
            r->stability = v[i++];
            r->updates = v[i++];
            r->log_likelihood = v[i++];
            r->kl = v[i++];
            r->evidence = v[i++];
            r->seconds = v[i++];
            rc = VDL_OK;
        }
    }
    vdl_free(data);
    return rc;
}
