/*
 * test_files.c: files that are not what they should be. Reading a folder or
 * a device is refused; a file that shrinks or grows while open gives its new
 * length and then a format error, never a crash; a write that fails (disk
 * full, a folder that is a file, a FIFO in the way) is reported, keeps the
 * old file and leaves no temporary file.
 */
#define _POSIX_C_SOURCE 200809L
#include "vdl_checkpoint.h"
#include "vdl_idx.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/vdl-files-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *mode, const void *data, size_t n)
{
    FILE *f = fopen(path, mode);
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* 2 images of 3 x 3 pixels. */
static size_t idx_images(unsigned char *b)
{
    static const unsigned char head[16] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 3};
    memcpy(b, head, 16);
    memset(b + 16, 7, 18);
    return 34;
}

static void folders_and_devices_are_refused(void **state)
{
    unsigned char *data;
    size_t len;
    (void)state;
    assert_int_equal(vdl_read_file(dir, 1 << 20, &data, &len), VDL_EIO);
    assert_non_null(strstr(vdl_error(), "folder"));
    if (access("/dev/zero", R_OK) == 0) { /* endless: must not be read at all */
        assert_int_equal(vdl_read_file("/dev/zero", (size_t)1 << 30, &data, &len), VDL_EIO);
        assert_non_null(strstr(vdl_error(), "not a regular file"));
    }
    assert_null(data);
}

/* Open path (holding b[0..n)), change it through another handle (fopen
 * mode "wb": rewrite with m bytes of b; "ab": append them), then read it
 * through the handle opened before, keeping at most max bytes. */
static int read_after_change(const char *path, const unsigned char *b, size_t n, const char *mode, size_t m,
                             size_t max, unsigned char **data, size_t *len)
{
    FILE *f;
    int rc;
    put(path, "wb", b, n);
    f = fopen(path, "rb");
    assert_non_null(f);
    put(path, mode, b, m);
    rc = vdl_read_stream(f, path, max, data, len);
    fclose(f);
    return rc;
}

static void files_that_change_while_open(void **state)
{
    unsigned char b[64] = {0}, *data;
    char path[128];
    size_t n = idx_images(b), len;
    vdl_idx idx;
    (void)state;
    snprintf(path, sizeof path, "%s/images", dir);
    /* shrinks */
    assert_int_equal(read_after_change(path, b, n, "wb", 20, 1 << 20, &data, &len), VDL_OK);
    assert_int_equal(len, 20);
    assert_int_equal(vdl_idx_parse(data, len, VDL_IDX_IMAGES, 10, path, &idx), VDL_EFORMAT);
    assert_non_null(strstr(vdl_error(), "truncated"));
    vdl_free(data);
    /* grows */
    assert_int_equal(read_after_change(path, b, n, "ab", 5, 1 << 20, &data, &len), VDL_OK);
    assert_int_equal(len, n + 5);
    assert_int_equal(vdl_idx_parse(data, len, VDL_IDX_IMAGES, 10, path, &idx), VDL_EFORMAT);
    assert_non_null(strstr(vdl_error(), "extra bytes"));
    vdl_free(data);
    /* grows past the limit */
    assert_int_equal(read_after_change(path, b, n, "ab", 64, n + 10, &data, &len), VDL_EFORMAT);
    assert_non_null(strstr(vdl_error(), "larger than"));
}

static void checkpoint_that_shrinks_is_refused(void **state)
{
    static const int sizes[3] = {3, 4, 2};
    vdl_model_config c = vdl_model_defaults(VDL_MODEL_LOWRANK);
    vdl_model m, back;
    unsigned char *data;
    char path[128];
    size_t len;
    FILE *f;
    (void)state;
    vdl_mlp_arch_make(&c.arch, 3, sizes);
    c.hyper_hidden = 2;
    snprintf(path, sizeof path, "%s/m.vdl", dir);
    assert_int_equal(vdl_model_init(&m, &c, 1), VDL_OK);
    assert_int_equal(vdl_checkpoint_save(path, &m, NULL), VDL_OK);
    assert_int_equal(vdl_read_file(path, 1 << 20, &data, &len), VDL_OK);
    f = fopen(path, "rb");
    put(path, "wb", data, len - 100);
    vdl_free(data);
    assert_int_equal(vdl_read_stream(f, path, 1 << 20, &data, &len), VDL_OK);
    fclose(f);
    assert_int_equal(vdl_checkpoint_parse(data, len, path, &back, NULL), VDL_EFORMAT);
    assert_non_null(strstr(vdl_error(), "checksum"));
    vdl_free(data);
    vdl_model_free(&m);
}

/* path must still hold `want` (n bytes), and no temporary file be left. */
static void unchanged(const char *path, const unsigned char *want, size_t n)
{
    unsigned char *data;
    size_t len;
    char tmp[160];
    assert_int_equal(vdl_read_file(path, 1 << 20, &data, &len), VDL_OK);
    assert_int_equal(len, n);
    assert_memory_equal(data, want, n);
    vdl_free(data);
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    assert_int_not_equal(access(tmp, F_OK), 0);
}

static void disk_full_keeps_the_old_file(void **state)
{
    static unsigned char big[100000];
    const unsigned char old[5] = "old!";
    struct rlimit was, small;
    char path[128];
    (void)state;
    snprintf(path, sizeof path, "%s/kept.vdl", dir);
    put(path, "wb", old, sizeof old);
    /* files may not grow past 4 KiB: writes fail with EFBIG as on a full disk
     * (ignoring SIGXFSZ, which would end the process instead) */
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    small = was;
    small.rlim_cur = 4096;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    assert_int_equal(vdl_write_file_atomic(path, big, sizeof big), VDL_EIO);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, SIG_DFL);
    printf("disk full: %s\n", vdl_error());
    assert_non_null(strstr(vdl_error(), "cannot write"));
    unchanged(path, old, sizeof old);
}

static void unwritable_places_are_reported(void **state)
{
    const unsigned char data[3] = {1, 2, 3};
    char path[128], fifo[128];
    struct stat s;
    (void)state;
    snprintf(path, sizeof path, "%s/plain", dir);
    put(path, "wb", data, 3);
    /* a folder that is a file: ENOTDIR even for root */
    snprintf(fifo, sizeof fifo, "%s/plain/x.vdl", dir);
    assert_int_equal(vdl_write_file_atomic(fifo, data, 3), VDL_EIO);
    assert_non_null(strstr(vdl_error(), "cannot create"));
    assert_int_equal(vdl_write_file_atomic("/nonexistent/dir/x.vdl", data, 3), VDL_EIO);
    /* a FIFO (like a device) is never replaced by a regular file */
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(vdl_write_file_atomic(fifo, data, 3), VDL_EIO);
    assert_non_null(strstr(vdl_error(), "not a regular file"));
    assert_int_equal(stat(fifo, &s), 0);
    assert_true(S_ISFIFO(s.st_mode));
    unchanged(path, data, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folders_and_devices_are_refused),
        cmocka_unit_test(files_that_change_while_open),
        cmocka_unit_test(checkpoint_that_shrinks_is_refused),
        cmocka_unit_test(disk_full_keeps_the_old_file),
        cmocka_unit_test(unwritable_places_are_reported),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
