"""torch_common.py — what the two PyTorch reference benchmarks share: reading
the raw MNIST IDX files, the training loop, the inference timing and the
summary file. Only `make bench` uses this; the series itself never needs
Python.

The data path is the same as the C programs': the four IDX files (plain or
.gz) read byte for byte, pixels / 255 as float32, no torchvision. Timings:
training time covers the epochs only (shuffling included, data loading not);
inference time covers forward passes over the 10 000 test images in batches
of the given size (repeated until half a second has passed), after one
untimed warm-up batch.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np


def idx_path(data_dir, split, kind):
    """<dir>/<split>-<kind>-idx{3,1}-ubyte, or the same name + .gz."""
    name = "%s-%s-idx%d-ubyte" % (split, kind, 3 if kind == "images" else 1)
    plain = os.path.join(data_dir, name)
    if os.path.exists(plain):
        return plain
    if os.path.exists(plain + ".gz"):
        return plain + ".gz"
    sys.exit("torch bench: %s not found (run 'make data')" % plain)


def read_idx(path, magic):
    """The bytes after an IDX header, checked against the header's sizes."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    ndim = 3 if magic == 2051 else 1
    if len(raw) < 4 + 4 * ndim:
        sys.exit("torch bench: %s: too short for an IDX header" % path)
    found, = struct.unpack(">I", raw[:4])
    if found != magic:
        sys.exit("torch bench: %s: magic number %d, expected %d" % (path, found, magic))
    dims = struct.unpack(">%dI" % ndim, raw[4:4 + 4 * ndim])
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        sys.exit("torch bench: %s: %d data bytes, header says %d" % (path, body.size, int(np.prod(dims))))
    return body.reshape(dims)


def load_split(torch, data_dir, split):
    """x (n, 28, 28) float32 in [0, 1], y (n,) int64."""
    images = read_idx(idx_path(data_dir, split, "images"), 2051)
    labels = read_idx(idx_path(data_dir, split, "labels"), 2049)
    if images.shape[0] != labels.shape[0]:
        sys.exit("torch bench: %s: %d images but %d labels" % (split, images.shape[0], labels.shape[0]))
    x = torch.from_numpy(images.copy()).float().div_(255.0)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def parse_args(description, default_epochs):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--data", default="datasets/mnist", help="folder with the IDX files")
    p.add_argument("--threads", default="default",
                   help="torch.set_num_threads(N), or 'default' to leave PyTorch's choice")
    p.add_argument("--epochs", type=int, default=default_epochs)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--trial-batches", type=int, default=0,
                   help="a short run for choosing the thread setting: train this many "
                        "batches (after a few untimed ones), time inference, skip the test accuracy")
    p.add_argument("--out", required=True, help="summary JSON to write")
    args = p.parse_args()
    if args.threads != "default" and not (args.threads.isdigit() and int(args.threads) >= 1):
        p.error("--threads wants a whole number >= 1 or 'default'")
    return args


def setup_torch(args):
    import torch
    if args.threads != "default":
        torch.set_num_threads(int(args.threads))
    torch.manual_seed(args.seed)
    return torch


def train(torch, model, loss_fn, optimizer, x, y, args, warmup_batches=5):
    """Shuffled batches, mean loss per epoch. Returns (epoch_losses, seconds, images)."""
    n = x.shape[0]
    model.train()
    losses, seconds, images = [], 0.0, 0
    epochs = 1 if args.trial_batches else args.epochs
    for epoch in range(epochs):
        order = torch.randperm(n)
        nbatches = (n + args.batch - 1) // args.batch
        if args.trial_batches:
            nbatches = min(nbatches, warmup_batches + args.trial_batches)
        total = 0.0
        t0 = time.perf_counter()
        for b in range(nbatches):
            if args.trial_batches and b == warmup_batches:
                t0, images = time.perf_counter(), 0         # start the clock after the warm-up
            idx = order[b * args.batch:(b + 1) * args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item()
            images += idx.shape[0]
        seconds += time.perf_counter() - t0
        losses.append(total / nbatches)
        if not args.trial_batches:
            print("Época %d - Error: %.4f" % (epoch + 1, losses[-1]), flush=True)
    return losses, seconds, images


def inference_rate(torch, model, x, batch, min_seconds):
    """Images per second of forward passes in batches of `batch` over all of x,
    repeated until at least `min_seconds` have passed (a fast network crosses
    the 10 000 test images in a few milliseconds, too short to time alone)."""
    model.eval()
    with torch.no_grad():
        model(x[:batch])                                      # warm-up, untimed
        images = 0
        t0 = time.perf_counter()
        while True:
            for i in range(0, x.shape[0], batch):
                model(x[i:i + batch])
            images += x.shape[0]
            seconds = time.perf_counter() - t0
            if seconds >= min_seconds:
                return images / seconds


def accuracy(torch, model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    return correct / x.shape[0]


def write_summary(path, summary):
    """Atomically: a temporary name, then rename."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def run(description, default_epochs, make_model, make_loss, lr, shape, extra_inference_batches=()):
    """The whole benchmark of one network; `shape` reshapes (n, 28, 28) images
    to what the model takes."""
    args = parse_args(description, default_epochs)
    torch = setup_torch(args)
    x_train, y_train = load_split(torch, args.data, "train")
    x_test, y_test = load_split(torch, args.data, "t10k")
    x_train, x_test = shape(x_train), shape(x_test)

    model = make_model(torch)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses, seconds, images = train(torch, model, make_loss(torch), optimizer, x_train, y_train, args)

    summary = {
        "torch_version": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "threads_setting": args.threads,
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
        "trial": bool(args.trial_batches),
        "epochs": 0 if args.trial_batches else args.epochs,
        "batch": args.batch,
        "lr": lr,
        "epoch_loss": losses,
        "train_seconds": seconds,
        "train_images_per_second": images / seconds,
    }
    if not args.trial_batches:
        summary["seconds_per_epoch"] = seconds / args.epochs
        summary["test_accuracy"] = accuracy(torch, model, x_test, y_test)
        print("Precisión en test: %.2f %%" % (100.0 * summary["test_accuracy"]))
    # A trial times inference on the first 2 000 test images only: enough for
    # choosing a setting, and it keeps the trials short.
    x_infer = x_test[:2000] if args.trial_batches else x_test
    min_seconds = 0.2 if args.trial_batches else 0.5
    summary["inference_images_per_second"] = inference_rate(torch, model, x_infer, 1000, min_seconds)
    for b in extra_inference_batches:
        summary["inference_images_per_second_b%d" % b] = inference_rate(torch, model, x_infer, b, min_seconds)
    write_summary(args.out, summary)
    print("torch %s, %d thread(s) (setting %s, OPENBLAS_NUM_THREADS=%s): %.0f training images/s, "
          "%.0f inference images/s (batch 1000)"
          % (torch.__version__, summary["torch_threads"], args.threads, summary["openblas_num_threads"],
             summary["train_images_per_second"], summary["inference_images_per_second"]))
