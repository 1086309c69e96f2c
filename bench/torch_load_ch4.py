"""torch_load_ch4.py — checks by hand that PyTorch reads chapter 4's model.

Not part of the product (no Python is): a one-off check that the file
build/rel/bin/ch4 writes, out/04-cnn/model.safetensors, is a valid
safetensors file whose names and shapes are PyTorch's state_dict for the
notes' NetCNN, and that PyTorch then predicts what the C program predicted.

    /usr/bin/python3 bench/torch_load_ch4.py [out/04-cnn] [datasets/mnist]

It parses the safetensors header itself (u64 little-endian length, JSON,
raw float32), so it needs torch and nothing else; load_state_dict(strict=True)
refuses any missing, extra or misshapen tensor. It compares every test
prediction with predicciones.csv and the log-probabilities of the first 20
test images with salidas_muestra.csv.
"""
import json
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class NetCNN(nn.Module):
    """The network of notes §4, attribute names as the notes write them."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, kernel_size=3)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(5 * 5 * 64, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 5 * 5 * 64)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", (name, info["dtype"])
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        tensors[name] = t.reshape(info["shape"])
    return tensors


def read_idx(path, offset):
    return open(path, "rb").read()[offset:]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out/04-cnn"
    data = sys.argv[2] if len(sys.argv) > 2 else "datasets/mnist"
    state = read_safetensors(out + "/model.safetensors")
    print("tensors:", {k: tuple(v.shape) for k, v in state.items()})
    net = NetCNN()
    net.load_state_dict(state, strict=True)
    net.eval()

    pixels = read_idx(data + "/t10k-images-idx3-ubyte", 16)
    labels = read_idx(data + "/t10k-labels-idx1-ubyte", 8)
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).float().div(255)
    x = x.reshape(-1, 1, 28, 28)
    y = torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()
    with torch.no_grad():
        logp = net(x)
    pred = logp.argmax(dim=1)
    acc = (pred == y).float().mean().item()

    c_pred = []
    with open(out + "/predicciones.csv") as f:
        next(f)
        for line in f:
            c_pred.append(int(float(line.split(",")[2])))
    c_pred = torch.tensor(c_pred)
    n = len(c_pred)
    same = (pred[:n] == c_pred).sum().item()

    worst = 0.0
    with open(out + "/salidas_muestra.csv") as f:
        next(f)
        for line in f:
            v = [float(s) for s in line.split(",")]
            i = int(v[0])
            worst = max(worst, (logp[i] - torch.tensor(v[1:])).abs().max().item())

    print(f"PyTorch {torch.__version__}: test accuracy {100 * acc:.2f} %")
    print(f"same prediction as the C program on {same} of {n} test images")
    print(f"largest difference in log-probabilities (first 20 images): {worst:.2e}")
    sys.exit(0 if same == n and worst < 1e-3 else 1)


if __name__ == "__main__":
    main()
