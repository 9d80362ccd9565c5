/*
 * make_tiny_mnist.c: writes a tiny MNIST look-alike (valid IDX files, 28x28
 * images whose class is a bright horizontal band; as in MNIST, most other
 * pixels are 0, so training takes its sparse-input path) into a folder, so
 * the CLI can be tested without the real data or a network.
 * Usage: make_tiny_mnist DIR N_TRAIN N_TEST
 */
#include <stdio.h>
#include <stdlib.h>

static void be32(FILE *f, unsigned v)
{
    unsigned char b[4];
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
    fwrite(b, 1, 4, f);
}

static int write_split(const char *dir, const char *images, const char *labels, int n, unsigned seed)
{
    char path[4096];
    FILE *fi, *fl;
    int i, p;
    snprintf(path, sizeof path, "%s/%s", dir, images);
    fi = fopen(path, "wb");
    snprintf(path, sizeof path, "%s/%s", dir, labels);
    fl = fopen(path, "wb");
    if (!fi || !fl)
        return 1;
    be32(fi, 0x803);
    be32(fi, (unsigned)n);
    be32(fi, 28);
    be32(fi, 28);
    be32(fl, 0x801);
    be32(fl, (unsigned)n);
    for (i = 0; i < n; i++) {
        int c = i % 10;
        fputc(c, fl);
        for (p = 0; p < 784; p++) {
            int row = p / 28, band = row / 3 == c;
            seed = seed * 1103515245u + 12345u;
            /* one in eight background pixels is faint noise, the rest 0 */
            fputc(band ? 200 + (int)(seed >> 28) : seed >> 29 ? 0 : (int)(seed >> 24) & 63, fi);
        }
    }
    return fclose(fi) | fclose(fl);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: make_tiny_mnist DIR N_TRAIN N_TEST\n");
        return 2;
    }
    return write_split(argv[1], "train-images-idx3-ubyte", "train-labels-idx1-ubyte", atoi(argv[2]), 1) ||
           write_split(argv[1], "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", atoi(argv[3]), 2);
}
