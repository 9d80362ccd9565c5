/*
 * sparse_inputs.c: training inputs in sparse form (see vdl_sparse_inputs.h).
 */
#include "vdl_sparse_inputs.h"

#include <string.h>

/* Room for the entries of all (0), a minibatch (1) and its transpose (2),
 * and the spare one vdl_sparse_fill writes. */
static int take(vdl_sparse_inputs *si, int which, size_t starts, size_t entries)
{
    si->start[which] = vdl_malloc(starts * sizeof *si->start[which]);
    si->col[which] = vdl_malloc((entries + 1) * sizeof *si->col[which]);
    si->value[which] = vdl_malloc((entries + 1) * sizeof *si->value[which]);
    return si->start[which] && si->col[which] && si->value[which] ? VDL_OK : VDL_ENOMEM;
}

int vdl_sparse_inputs_init(vdl_sparse_inputs *si, const vdl_dataset *d, int batch)
{
    const size_t n = (size_t)d->n * (size_t)d->dim, most = (size_t)batch * (size_t)d->dim;
    vdl_real background;
    size_t entries;
    memset(si, 0, sizeof *si);
    if (n == 0 || !vdl_majority_value(d->x, n, &background))
        return VDL_OK;
    entries = vdl_sparse_count(d->x, n, background);
    if ((double)(n - entries) <= VDL_SPARSE_MIN_BACKGROUND * (double)n)
        return VDL_OK;
    if (take(si, 0, (size_t)d->n + 1, entries) || take(si, 1, (size_t)batch + 1, most) ||
        take(si, 2, (size_t)d->dim + 1, most)) {
        vdl_sparse_inputs_free(si);
        return VDL_ENOMEM;
    }
    vdl_sparse_fill(&si->all, d->x, d->n, d->dim, background, si->start[0], si->col[0], si->value[0]);
    return VDL_OK;
}

void vdl_sparse_inputs_gather(vdl_sparse_inputs *si, const int *pick, int count)
{
    vdl_sparse_gather(&si->all, pick, count, &si->batch.s, si->start[1], si->col[1], si->value[1], NULL);
    vdl_sparse_transpose(&si->batch.s, &si->batch.st, si->start[2], si->col[2], si->value[2]);
}

void vdl_sparse_inputs_free(vdl_sparse_inputs *si)
{
    int i;
    for (i = 0; i < 3; i++) {
        vdl_free(si->start[i]);
        vdl_free(si->col[i]);
        vdl_free(si->value[i]);
    }
    memset(si, 0, sizeof *si);
}
