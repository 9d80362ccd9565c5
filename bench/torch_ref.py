#!/usr/bin/env python3
"""torch_ref.py: the PyTorch side of vdl's speed comparison (bench/bench_train.c).

Measures seconds per training epoch over the 60,000 MNIST training images for the
same four cases as bench_train, with the same model and training as vdl
(models/vmlp.c, hyper_linear.c, hyper_lowrank.c, models/train.c, docs/models.md):

  direct256  direct variational 784-100-10 MLP, batch 256
  direct32   the same, batch 32
  linear     linear hypernet T(t) = t B2 + (1 - t) B3, batch 256, K = 5 lambda draws
  lowrank    low-rank hypernet, hidden 50, batch 256, K = 1, with vdl's default
             multiplicative corrections and lambda^-0.5 draw weights

Every weight and bias has (mu, log_sigma). Each minibatch draws, per lambda draw,
one w = mu + exp(log_sigma) * eps per weight (shared by the whole minibatch), and
the loss is mean cross-entropy + lambda / 60000 * KL(q || N(0, variance 0.1)), averaged
over the K draws. Hypernets draw lambda log-uniform on [0.1, 100] and see
t = (ln lambda - ln 0.1) / (ln 100 - ln 0.1); direct models use lambda = 1.
Adam (lr 5e-4, betas 0.9/0.999, eps 1e-8; the low-rank hypernet's log-sigma
factors at 0.05 times that rate, as vdl's factor_lr_scale), gradients clipped by
value to +-1 before each step. The timed epoch is what vdl_trainer_epoch does:
shuffle, then every minibatch (the last one has 96 rows). The reported s/epoch is
the mean over --epochs epochs, the first included, as bench_train reports it.

Exits with status 3 when PyTorch is not installed.
"""
import argparse
import ctypes
import math
import os
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch_ref.py: PyTorch is not installed (Debian: apt-get install python3-torch); skipping",
          file=sys.stderr)
    sys.exit(3)
import numpy as np

CASES = {"direct256": ("direct", 256, 1), "direct32": ("direct", 32, 1),
         "linear": ("linear", 256, 5), "lowrank": ("lowrank", 256, 1)}
SHAPES = [(784, 100), (100,), (100, 10), (10,)]  # W1, b1, W2, b2; x @ W as in vmlp.c
PRIOR_SIGMA = math.sqrt(0.1)
LAMBDA_MIN, LAMBDA_MAX = 0.1, 100.0
HIDDEN = 50             # low-rank hypernet's hidden units per tensor
RANK_SCALE = 1.0        # s in the low-rank formula
FACTOR_LR_SCALE = 0.05  # learning-rate scale of the low-rank log-sigma factors
LAMBDA_WEIGHT = 0.5     # a low-rank draw's loss is weighted by lambda^-LAMBDA_WEIGHT
INIT_LOG_SIGMA = -3.0
LR, CLIP = 5e-4, 1.0
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
FAST_BLAS = ("openblas", "mkl", "blis", "atlas")


def blas_library(threads):
    """Which BLAS torch's matrix products use. Debian's python3-torch calls the
    system libblas.so.3 (the reference BLAS unless OpenBLAS or BLIS is installed);
    an OpenBLAS is told to use `threads` threads, as torch.set_num_threads does not."""
    if "BLAS_INFO=mkl" in torch.__config__.show():
        return "MKL"
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "blas" in os.path.basename(line.split()[-1])})
    except OSError:
        return "unknown"
    for path in paths:
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_set_num_threads"):
            lib.openblas_set_num_threads(threads)
    if paths and not any(name in path for path in paths for name in FAST_BLAS):
        print(f"torch_ref.py: warning: PyTorch uses {', '.join(paths)}, which looks like the reference BLAS; "
              "its matrix products are an order of magnitude slower than OpenBLAS's "
              "(Debian: apt-get install libopenblas0-pthread)", file=sys.stderr)
    return ", ".join(paths) or "unknown"


def read_idx(path):
    """An IDX file as a uint8 array of the shape its header gives."""
    with open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(folder, split):
    """(x, y): standardized float32 images, one row each, and int64 labels."""
    img = read_idx(os.path.join(folder, f"{split}-images-idx3-ubyte"))
    lab = read_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte"))
    x = (img.reshape(len(img), -1) / 255.0 - MNIST_MEAN) / MNIST_STD
    return torch.from_numpy(x.astype(np.float32)), torch.from_numpy(lab.astype(np.int64))


def initial(shape, is_log_sigma):
    """A classifier tensor's initial value: Xavier-uniform weight means, zero bias
    means, log_sigma -3 (vdl_model_init_tensor)."""
    if is_log_sigma:
        return torch.full(shape, INIT_LOG_SIGMA)
    if len(shape) == 1:
        return torch.zeros(shape)
    a = math.sqrt(6.0 / (shape[0] + shape[1]))
    return torch.empty(shape).uniform_(-a, a)


def leaf(value):
    return value.clone().requires_grad_()


class Direct:
    """(mu, log_sigma) of every tensor are the parameters themselves."""

    def __init__(self):
        self.parts = [[leaf(initial(s, p)) for p in (0, 1)] for s in SHAPES]
        self.groups = [{"params": [q for pair in self.parts for q in pair]}]

    def vnodes(self, t):
        return self.parts


class Linear:
    """T(t) = t B2 + (1 - t) B3 per tensor and part; B2 = B3 at the start."""

    def __init__(self):
        self.b = []
        for s in SHAPES:
            for p in (0, 1):
                v = initial(s, p)
                self.b.append((leaf(v), leaf(v)))
        self.groups = [{"params": [q for pair in self.b for q in pair]}]

    def vnodes(self, t):
        tensors = [t * b2 + (1 - t) * b3 for b2, b3 in self.b]
        return [tensors[2 * k:2 * k + 2] for k in range(len(SHAPES))]


class LowRank:
    """T(t) = B1 + s B1 * (h U1 + c1)^T (h U2 + c2) for a matrix (multiplicative, vdl's
    default), B1 + s (h U + c1) for a vector, h = ReLU(a t + c): one (a, c, U1, c1[, U2,
    c2]) per tensor and part, initialized as hyper_lowrank.c does (the correction starts
    at exactly 0)."""

    def __init__(self):
        self.blocks = []
        full, slow = [], []
        u = 1 / math.sqrt(HIDDEN)
        for s in SHAPES:
            for p in (0, 1):
                rows = s[0]
                blk = {"B1": leaf(initial(s, p)),
                       "a": leaf(torch.empty(1, HIDDEN).uniform_(-1, 1)),
                       "c": leaf(torch.empty(1, HIDDEN).uniform_(0, 1)),
                       "U1": leaf(torch.empty(HIDDEN, rows).uniform_(-u, u) if len(s) == 2
                                  else torch.zeros(HIDDEN, rows)),
                       "c1": leaf(torch.zeros(rows))}
                if len(s) == 2:
                    blk["U2"] = leaf(torch.zeros(HIDDEN, s[1]))
                    blk["c2"] = leaf(torch.zeros(s[1]))
                self.blocks.append(blk)
                full.append(blk["B1"])
                (slow if p else full).extend(v for n, v in blk.items() if n != "B1")
        self.groups = [{"params": full}, {"params": slow, "lr": LR * FACTOR_LR_SCALE}]

    def vnodes(self, t):
        tensors = []
        for blk in self.blocks:
            h = torch.relu(t * blk["a"] + blk["c"])
            u = h @ blk["U1"] + blk["c1"]
            if "U2" in blk:
                corr = blk["B1"] * (u.t() @ (h @ blk["U2"] + blk["c2"]))
            else:
                corr = u.reshape(-1)
            tensors.append(blk["B1"] + RANK_SCALE * corr)
        return [tensors[2 * k:2 * k + 2] for k in range(len(SHAPES))]


MODELS = {"direct": Direct, "linear": Linear, "lowrank": LowRank}


def encode(lam):
    return (math.log(lam) - math.log(LAMBDA_MIN)) / (math.log(LAMBDA_MAX) - math.log(LAMBDA_MIN))


def forward(x, weights):
    (w1, b1), (w2, b2) = weights[0:2], weights[2:4]
    return torch.relu(x @ w1 + b1) @ w2 + b2


def kl(vnodes):
    """Sum over all tensors of KL(N(mu, exp(ls)^2) || N(0, PRIOR_SIGMA^2))."""
    total = 0
    for mu, ls in vnodes:
        total = total + (math.log(PRIOR_SIGMA) - ls + (torch.exp(2 * ls) + mu * mu)
                         / (2 * PRIOR_SIGMA ** 2) - 0.5).sum()
    return total


def minibatch_loss(model, kind, draws, x, y, n, rng):
    """The loss averaged over `draws` lambda draws, each with its own weight noise."""
    loss = 0
    for _ in range(draws):
        lam = 1.0 if kind == "direct" else math.exp(rng.uniform(math.log(LAMBDA_MIN), math.log(LAMBDA_MAX)))
        v = model.vnodes(encode(lam))
        weights = [mu + torch.exp(ls) * torch.randn_like(mu) for mu, ls in v]
        one = F.cross_entropy(forward(x, weights), y) + lam / n * kl(v)
        if kind == "lowrank":
            one = one * lam ** -LAMBDA_WEIGHT
        loss = loss + one / draws
    return loss


def epoch(model, opt, params, kind, batch, draws, x, y, rng):
    """One epoch (shuffle, then every minibatch); returns its mean loss."""
    n = len(x)
    order = torch.randperm(n)
    total, steps = 0.0, 0
    for first in range(0, n, batch):
        idx = order[first:first + batch]
        loss = minibatch_loss(model, kind, draws, x[idx], y[idx], n, rng)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_value_(params, CLIP)
        opt.step()
        value = loss.item()
        if not math.isfinite(value):
            raise RuntimeError(f"step {steps}: the loss is {value}")
        total += value
        steps += 1
    return total / steps


@torch.no_grad()
def test_accuracy(model, kind, folder):
    """Test accuracy of the classifier at lambda = 1 with w = mu."""
    x, y = load_mnist(folder, "t10k")
    v = model.vnodes(0.0 if kind == "direct" else encode(1.0))
    return (forward(x, [mu for mu, _ in v]).argmax(1) == y).float().mean().item()


def run_case(name, epochs, x, y, args):
    kind, batch, draws = CASES[name]
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model = MODELS[kind]()
    params = [q for g in model.groups for q in g["params"]]
    opt = torch.optim.Adam(model.groups, lr=LR, betas=(0.9, 0.999), eps=1e-8)
    start = time.perf_counter()
    for _ in range(epochs):
        loss = epoch(model, opt, params, kind, batch, draws, x, y, rng)
    seconds = (time.perf_counter() - start) / epochs
    row = f"{name:<10} {args.threads:7d} {seconds:9.3f} {loss:10.4f}"
    if args.check:
        row += f" {test_accuracy(model, kind, args.data):9.4f}"
    print(row, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Prints `case threads s/epoch loss [test acc]` per case; s/epoch "
                                        "is the mean over the epochs, loss the last epoch's mean loss.")
    ap.add_argument("--case", action="append",
                    help="direct256, direct32, linear or lowrank; repeatable or a comma list (default: all)")
    ap.add_argument("--threads", type=int, default=1, help="threads for torch (set_num_threads) and for an OpenBLAS it uses (default 1)")
    ap.add_argument("--epochs", type=int, default=1, help="epochs timed per case (default 1)")
    ap.add_argument("--data", default="data/mnist", help="folder of the MNIST IDX files (default data/mnist)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--check", action="store_true",
                    help="also print test accuracy at the posterior means (lambda = 1)")
    args = ap.parse_args()
    cases = [c for arg in args.case or [",".join(CASES)] for c in arg.split(",") if c]
    for c in cases:
        if c not in CASES:
            ap.error(f"unknown case '{c}' (choose from {', '.join(CASES)})")
    if args.threads < 1 or args.epochs < 1:
        ap.error("--threads and --epochs must be >= 1")
    torch.set_num_threads(args.threads)
    try:
        x, y = load_mnist(args.data, "train")
    except OSError as e:
        sys.exit(f"torch_ref.py: {e} (fetch MNIST first: scripts/fetch-mnist)")
    print(f"# PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), BLAS {blas_library(args.threads)}, "
          f"s/epoch = mean of {args.epochs} epoch(s)")
    print(f"{'case':<10} {'threads':>7} {'s/epoch':>9} {'loss':>10}" + (f" {'test acc':>9}" if args.check else ""))
    for c in cases:
        run_case(c, args.epochs, x, y, args)


if __name__ == "__main__":
    main()
