"""Times the PyTorch reference like `spherenet bench` times ours; prints the same JSON fields.

Training step: zero_grad, forward, cross-entropy with label smoothing 0.1 plus the orthogonality
penalty, backward, Adam (lr 2e-3, weight decay 5e-4 on everything but the SphereConv kernels, as
WeightDecay.AUTHORS), loss.item() and the batch accuracy. One random batch is made up front.
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn.functional as F

import nets


def quantile(values, q):
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", default="spherenet9")
    p.add_argument("--operator", default=None)
    p.add_argument("--width", type=float, default=0.125)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--input", default="1,28,28")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--mode", choices=("train", "inference"), default="train")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=None)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    image = tuple(int(s) for s in a.input.split(","))
    net = nets.build(a.model, a.operator, a.width, image, a.classes)
    macs = nets.multiply_adds(net, image)
    x = torch.randn(a.batch_size, *image)
    y = torch.randint(0, a.classes, (a.batch_size,))

    if a.mode == "train":
        kernels = nets.sphere_kernels(net)
        kernel_ids = {id(k) for k in kernels}
        others = [q for q in net.parameters() if id(q) not in kernel_ids]
        optimizer = torch.optim.Adam([{"params": kernels, "weight_decay": 0},
                                      {"params": others, "weight_decay": 5e-4}], lr=2e-3)
        net.train()

        def step():
            optimizer.zero_grad()
            logits = net(x)
            loss = F.cross_entropy(logits, y, label_smoothing=0.1)
            total = loss + nets.orthogonality(kernels) if kernels else loss
            total.backward()
            optimizer.step()
            return loss.item(), (logits.argmax(1) == y).sum().item()
    else:
        net.eval()

        def step():
            with torch.no_grad():
                return net(x).max().item()

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)

    median = statistics.median(times)
    gflop = (3 if a.mode == "train" else 1) * 2.0 * macs * a.batch_size / 1e9
    print(json.dumps({
        "implementation": "pytorch-reference",
        "model": a.model,
        "operator": a.operator or nets.MODELS[a.model][1],
        "mode": a.mode,
        "width": a.width,
        "batch": a.batch_size,
        "input": a.input,
        "threads": torch.get_num_threads(),
        "steps": a.steps,
        "medianMs": median,
        "p25Ms": quantile(times, 0.25),
        "p75Ms": quantile(times, 0.75),
        "minMs": min(times),
        "maxMs": max(times),
        "imagesPerSecond": a.batch_size / (median / 1e3),
        "gflopPerStep": gflop,
        "gflops": gflop / (median / 1e3),
        "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
