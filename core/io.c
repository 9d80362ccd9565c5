/*
 * io.c: little-endian byte buffers (see vdl_io.h); whole files are in file.c.
 */
#include "vdl_io.h"

#include <string.h>

void vdl_wbuf_init(vdl_wbuf *b) { memset(b, 0, sizeof *b); }

void vdl_wbuf_free(vdl_wbuf *b)
{
    vdl_free(b->data);
    vdl_wbuf_init(b);
}

void vdl_wbuf_bytes(vdl_wbuf *b, const void *p, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        unsigned char *d;
        while (cap < b->len + n)
            cap *= 2;
        d = vdl_realloc(b->data, cap);
        if (!d) {
            b->failed = 1;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void vdl_wbuf_u64(vdl_wbuf *b, uint64_t v)
{
    unsigned char le[8];
    int i;
    for (i = 0; i < 8; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    vdl_wbuf_bytes(b, le, 8);
}

void vdl_wbuf_u32(vdl_wbuf *b, uint32_t v)
{
    unsigned char le[4];
    int i;
    for (i = 0; i < 4; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    vdl_wbuf_bytes(b, le, 4);
}

void vdl_wbuf_f64(vdl_wbuf *b, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, 8);
    vdl_wbuf_u64(b, bits);
}

void vdl_wbuf_str(vdl_wbuf *b, const char *s)
{
    size_t n = strlen(s);
    vdl_wbuf_u32(b, (uint32_t)n);
    vdl_wbuf_bytes(b, s, n);
}

void vdl_wbuf_reals(vdl_wbuf *b, const vdl_real *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (sizeof(vdl_real) == 4) {
            float f = (float)x[i];
            uint32_t bits;
            memcpy(&bits, &f, 4);
            vdl_wbuf_u32(b, bits);
        } else {
            vdl_wbuf_f64(b, (double)x[i]);
        }
    }
}

void vdl_rbuf_init(vdl_rbuf *b, const void *data, size_t len)
{
    b->data = data;
    b->len = len;
    b->pos = 0;
    b->failed = 0;
}

int vdl_rbuf_bytes(vdl_rbuf *b, void *p, size_t n)
{
    if (b->failed || n > b->len - b->pos) {
        b->failed = 1;
        memset(p, 0, n);
        return 0;
    }
    memcpy(p, b->data + b->pos, n);
    b->pos += n;
    return 1;
}

uint64_t vdl_rbuf_u64(vdl_rbuf *b)
{
    unsigned char le[8];
    uint64_t v = 0;
    int i;
    vdl_rbuf_bytes(b, le, 8);
    for (i = 7; i >= 0; i--)
        v = (v << 8) | le[i];
    return v;
}

uint32_t vdl_rbuf_u32(vdl_rbuf *b)
{
    unsigned char le[4];
    uint32_t v = 0;
    int i;
    vdl_rbuf_bytes(b, le, 4);
    for (i = 3; i >= 0; i--)
        v = (v << 8) | le[i];
    return v;
}

double vdl_rbuf_f64(vdl_rbuf *b)
{
    uint64_t bits = vdl_rbuf_u64(b);
    double v;
    memcpy(&v, &bits, 8);
    return v;
}

void vdl_rbuf_str(vdl_rbuf *b, char *buf, size_t cap)
{
    uint32_t n = vdl_rbuf_u32(b);
    buf[0] = '\0';
    if (b->failed || n >= cap) {
        b->failed = 1;
        return;
    }
    if (vdl_rbuf_bytes(b, buf, n))
        buf[n] = '\0';
}

void vdl_rbuf_reals(vdl_rbuf *b, vdl_real *x, size_t n, int width)
{
    size_t i;
    if (width != 4 && width != 8) {
        b->failed = 1;
        return;
    }
    if (n > (b->len - b->pos) / (size_t)width) {
        b->failed = 1;
        return;
    }
    for (i = 0; i < n; i++) {
        if (width == 4) {
            uint32_t bits = vdl_rbuf_u32(b);
            float f;
            memcpy(&f, &bits, 4);
            x[i] = (vdl_real)f;
        } else {
            x[i] = (vdl_real)vdl_rbuf_f64(b);
        }
    }
}

uint64_t vdl_fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    return h;
}
