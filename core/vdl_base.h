/*
 * vdl_base.h: the scalar type, status codes, error messages and counted
 * allocation shared by every layer of vdl.
 */
#ifndef VDL_BASE_H
#define VDL_BASE_H

#include <stddef.h>

/* The engine's scalar: float by default, double when built with VDL_DOUBLE
 * (the test build compiles the engine both ways to check gradients tightly). */
#ifdef VDL_DOUBLE
typedef double vdl_real;
#else
typedef float vdl_real;
#endif

#define VDL_VERSION "0.1.0"

/* Status codes returned by library functions; 0 is success. */
enum {
    VDL_OK = 0,
    VDL_EINVAL = 1,  /* bad argument, shape or descriptor */
    VDL_ENOMEM = 2,  /* allocation failed */
    VDL_EIO = 3,     /* a file could not be read or written */
    VDL_EFORMAT = 4, /* a file exists but its content is wrong */
    VDL_ENOTFOUND = 5,
    VDL_ENUMERIC = 6 /* NaN or Inf where a finite number was required */
};

/* Record an error message (printf-style) and return `code`. The message is
 * kept in one process-wide buffer: vdl_error() returns the last one. */
int vdl_set_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The message of the last error recorded, or "" if none. */
const char *vdl_error(void);

/* Forget the last error message. */
void vdl_clear_error(void);

/* malloc/calloc/realloc/free that count heap allocations, so tests can prove
 * that a training step in steady state allocates nothing. On failure they
 * record a VDL_ENOMEM message and return NULL. */
void *vdl_malloc(size_t bytes);
void *vdl_calloc(size_t count, size_t bytes);
void *vdl_realloc(void *ptr, size_t bytes);
void vdl_free(void *ptr);

/* Seconds on a monotonic clock from an arbitrary start (for timings). */
double vdl_now(void);

/* Number of successful vdl_malloc/vdl_calloc/vdl_realloc calls so far. */
unsigned long vdl_alloc_count(void);

#endif
