/*
 * replay.c: main() for a fuzz target without libFuzzer: feeds each file named
 * on the command line to LLVMFuzzerTestOneInput once, so every build (gcc,
 * clang, tcc, ASan, valgrind) replays the saved corpus as a regression test.
 * Usage: replay_TARGET FILE...
 */
#include "fuzz.h"

#include <string.h>

/* The whole file in a buffer of exactly its size (so a sanitizer sees any
 * read past the end); NULL if it cannot be read. */
static unsigned char *load(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL, *grown;
    size_t n = 0, got;
    char chunk[4096];
    if (!f)
        return NULL;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (!(grown = realloc(buf, n + got))) {
            free(buf);
            fclose(f);
            return NULL;
        }
        buf = grown;
        memcpy(buf + n, chunk, got);
        n += got;
    }
    fclose(f);
    *size = n;
    return buf ? buf : malloc(1);
}

int main(int argc, char **argv)
{
    int i;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        size_t size = 0;
        unsigned char *data = load(argv[i], &size);
        if (!data) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            return 1;
        }
        LLVMFuzzerTestOneInput(data, size);
        free(data);
    }
    printf("%d passed, 0 failed\n", argc - 1);
    return 0;
}
