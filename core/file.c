/*
 * file.c: whole files in and out (see vdl_io.h): bounded reads that refuse
 * directories and devices, and atomic replacement. The one file of core that
 * calls POSIX (fstat, fsync, getpid, open); elsewhere only the checks that
 * need it are skipped.
 */
#define _POSIX_C_SOURCE 200809L
#include "vdl_io.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#define VDL_POSIX 1
#endif

int vdl_read_stream(FILE *f, const char *name, size_t max_len, unsigned char **data, size_t *len)
{
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, got;
    *data = NULL;
    *len = 0;
    /* read until end of file, never keeping more than max_len + 1 bytes: the
     * size the file had when opened is not trusted (it may change under us) */
    do {
        if (n == cap) {
            size_t want = cap ? 2 * cap : 65536;
            unsigned char *grown;
            if (cap > max_len)
                break;
            if (want > max_len || want < cap)
                want = max_len + 1;
            grown = vdl_realloc(buf, want);
            if (!grown) {
                vdl_free(buf);
                return VDL_ENOMEM;
            }
            buf = grown;
            cap = want;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        int err = errno;
        vdl_free(buf);
        return vdl_set_error(VDL_EIO, "error reading '%s': %s", name, strerror(err));
    }
    if (n > max_len) {
        vdl_free(buf);
        return vdl_set_error(VDL_EFORMAT, "'%s' is larger than %lu bytes", name, (unsigned long)max_len);
    }
    *data = buf;
    *len = n;
    return VDL_OK;
}

/* Only regular files and pipes are read: a directory or a device such as
 * /dev/zero would give an error late, or never end. */
static int readable_kind(FILE *f, const char *path)
{
#ifdef VDL_POSIX
    struct stat s;
    if (fstat(fileno(f), &s) != 0)
        return vdl_set_error(VDL_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (S_ISDIR(s.st_mode))
        return vdl_set_error(VDL_EIO, "cannot read '%s': it is a folder, not a file", path);
    if (!S_ISREG(s.st_mode) && !S_ISFIFO(s.st_mode))
        return vdl_set_error(VDL_EIO, "cannot read '%s': not a regular file", path);
#else
    (void)f;
    (void)path;
#endif
    return VDL_OK;
}

int vdl_read_file(const char *path, size_t max_len, unsigned char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    int rc, err = errno;
    *data = NULL;
    *len = 0;
    if (!f)
        return vdl_set_error(err == ENOENT ? VDL_ENOTFOUND : VDL_EIO, "cannot open '%s': %s", path,
                             strerror(err));
    rc = readable_kind(f, path);
    if (rc == VDL_OK)
        rc = vdl_read_stream(f, path, max_len, data, len);
    fclose(f);
    return rc;
}

/* Replacing a device or a FIFO by a regular file (as root, even /dev/null)
 * would be worse than failing. */
static int replaceable(const char *path)
{
#ifdef VDL_POSIX
    struct stat s;
    if (stat(path, &s) == 0 && !S_ISREG(s.st_mode))
        return vdl_set_error(VDL_EIO, "cannot write '%s': it exists and is not a regular file", path);
#else
    (void)path;
#endif
    return VDL_OK;
}

static long process_id(void)
{
#ifdef VDL_POSIX
    return (long)getpid();
#else
    return 0;
#endif
}

/* Flush the file's data to the disk (a no-op without POSIX). */
static int sync_file(FILE *f)
{
#ifdef VDL_POSIX
    return fsync(fileno(f));
#else
    (void)f;
    return 0;
#endif
}

/* Make the rename itself survive a power cut. Best effort: some file systems
 * refuse fsync on a folder, and by now the new file is in place. */
static void sync_folder(const char *path)
{
#ifdef VDL_POSIX
    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    int fd;
    if (!slash)
        strcpy(dir, ".");
    else if (n == 0)
        strcpy(dir, "/");
    else {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
#else
    (void)path;
#endif
}

int vdl_write_file_atomic(const char *path, const void *data, size_t n)
{
    char tmp[4096];
    FILE *f;
    int ok, rc;
    if (strlen(path) + 24 >= sizeof tmp)
        return vdl_set_error(VDL_EIO, "path too long: '%s'", path);
    if ((rc = replaceable(path)) != VDL_OK)
        return rc;
    /* the process id keeps concurrent writers (reproduce --jobs) apart */
    sprintf(tmp, "%s.tmp%ld", path, process_id());
    f = fopen(tmp, "wb");
    if (!f)
        return vdl_set_error(VDL_EIO, "cannot create '%s': %s", tmp, strerror(errno));
    errno = 0;
    ok = fwrite(data, 1, n, f) == n && fflush(f) == 0 && sync_file(f) == 0;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok) {
        int err = errno;
        remove(tmp);
        return vdl_set_error(VDL_EIO, "cannot write '%s': %s", path, err ? strerror(err) : "write failed");
    }
    if (rename(tmp, path) != 0) {
        int err = errno;
        remove(tmp);
        return vdl_set_error(VDL_EIO, "cannot replace '%s': %s", path, strerror(err));
    }
    sync_folder(path);
    return VDL_OK;
}
