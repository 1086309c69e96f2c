"""torch_cnn.py — the PyTorch reference for chapter 4's network (notes §4):
conv 1→32 3×3, ReLU, max-pool 2, conv 32→64 3×3, ReLU, max-pool 2, flatten
1600, dense 128, ReLU, dense 10, log-softmax with negative log-likelihood;
batches of 64, Adam with lr 0.001, 5 epochs, on the raw MNIST IDX files.
PyTorch's default initialisation, as in the notes. Run by `make bench`
(bench/run-bench.sh), which sets the threads:

    /usr/bin/python3 bench/torch_cnn.py --data datasets/mnist --threads 2 --out cnn.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_common  # noqa: E402


def make_model(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),      # 28 → 26 → 13
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),     # 13 → 11 → 5
        nn.Flatten(),                                         # 64·5·5 = 1600
        nn.Linear(1600, 128), nn.ReLU(),
        nn.Linear(128, 10), nn.LogSoftmax(dim=1),
    )


def make_loss(torch):
    return torch.nn.NLLLoss()


if __name__ == "__main__":
    torch_common.run("PyTorch reference for chapter 4 (the notes' CNN)", 5,
                     make_model, make_loss, lr=0.001,
                     shape=lambda x: x.reshape(x.shape[0], 1, 28, 28),
                     extra_inference_batches=(64,))
