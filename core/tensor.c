/*
 * tensor.c: shape helpers (see vdl_tensor.h).
 */
#include "vdl_tensor.h"

#include <stdio.h>
#include <string.h>

vdl_shape vdl_shape0(void)
{
    vdl_shape s;
    memset(&s, 0, sizeof s);
    return s;
}

vdl_shape vdl_shape1(int n)
{
    vdl_shape s = vdl_shape0();
    s.ndim = 1;
    s.dim[0] = n;
    return s;
}

vdl_shape vdl_shape2(int rows, int cols)
{
    vdl_shape s = vdl_shape0();
    s.ndim = 2;
    s.dim[0] = rows;
    s.dim[1] = cols;
    return s;
}

size_t vdl_shape_size(const vdl_shape *s)
{
    size_t n = 1;
    int i;
    for (i = 0; i < s->ndim; i++)
        n *= (size_t)s->dim[i];
    return n;
}

int vdl_shape_equal(const vdl_shape *a, const vdl_shape *b)
{
    int i;
    if (a->ndim != b->ndim)
        return 0;
    for (i = 0; i < a->ndim; i++)
        if (a->dim[i] != b->dim[i])
            return 0;
    return 1;
}

int vdl_shape_valid(const vdl_shape *s)
{
    int i;
    if (s->ndim < 0 || s->ndim > VDL_MAX_DIMS)
        return 0;
    for (i = 0; i < s->ndim; i++)
        if (s->dim[i] < 1)
            return 0;
    return 1;
}

char *vdl_shape_str(const vdl_shape *s, char *buf, size_t len)
{
    size_t at = 0;
    int i;
    if (len == 0)
        return buf;
    at += (size_t)snprintf(buf, len, "[");
    for (i = 0; i < s->ndim && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, i ? "x%d" : "%d", s->dim[i]);
    if (at < len)
        snprintf(buf + at, len - at, "]");
    return buf;
}
