"""torch_mlp.py — the PyTorch reference for chapter 3's default run (notes §3.4):
784–128–64–10, ReLU, softmax with cross-entropy, Glorot initialisation,
shuffled batches of 64, Adam with lr 0.003, 2 epochs, on the raw MNIST IDX
files. Run by `make bench` (bench/run-bench.sh), which sets the threads:

    /usr/bin/python3 bench/torch_mlp.py --data datasets/mnist --threads 1 --out mlp.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_common  # noqa: E402


def make_model(torch):
    nn = torch.nn
    model = nn.Sequential(
        nn.Linear(784, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10),                  # logits; the softmax is inside the loss
    )
    for layer in model:
        if isinstance(layer, nn.Linear):    # Glorot (Xavier) as in chapter 3, biases 0
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


def make_loss(torch):
    return torch.nn.CrossEntropyLoss()      # softmax + cross-entropy, mean over the batch


if __name__ == "__main__":
    torch_common.run("PyTorch reference for chapter 3 (784-128-64-10 MLP)", 2,
                     make_model, make_loss, lr=0.003,
                     shape=lambda x: x.reshape(x.shape[0], 784))
