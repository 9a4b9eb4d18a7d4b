#!/usr/bin/env python3
"""The main job's recipe end to end in PyTorch, for statistical parity runs (issue 12, part 3).

Trains the network of bench/reference/parity.py (written from DESIGN.md / PAPER.md) on
Fashion-MNIST with its own initialisation (N(0, 2 / fan-in) kernels, BatchNorm 1 / 0), its own
shuffling and flips (torch's generator, not the Java seeds), and the recipe of `spherenet train`
(TrainConfig's defaults, overridable with --set), evaluating on the whole test set every
--eval-every iterations. Prints one JSON line per evaluation; compare the distribution of final
accuracies over several seeds with the Java runs' (`spherenet train --seed S`).

    /usr/bin/python3 bench/reference/train_reference.py --seed 1
    /usr/bin/python3 bench/reference/train_reference.py --set model=cnn9 --set iterations=300
    /usr/bin/python3 bench/reference/train_reference.py --device cuda --set dataType=float32

Not run by the tests (a full run is the studies' standard length, 5,600 iterations); docs/FIDELITY.md.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity  # noqa: E402  (the independent network, losses, schedules)

DEFAULTS = {"model": "spherenet9", "width": 0.125, "batchSize": 64, "iterations": 5600,
            "learningRate": 2e-3, "evalEvery": 1400, "dataFraction": 1.0, "dataType": "float32"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a TrainConfig setting (JSON value or string), e.g. schedule=step")
    args = parser.parse_args()
    settings = dict(DEFAULTS)
    for item in args.set:
        key, value = item.split("=", 1)
        try:
            settings[key] = json.loads(value)
        except json.JSONDecodeError:
            settings[key] = value
    cfg = parity.full_config(settings)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    dtype = getattr(torch, cfg["dataType"])
    device = torch.device(args.device)

    train_x, train_y, test_x, test_y = parity.fashion_mnist()
    subset = parity.class_balanced_subset(train_y, cfg["dataFraction"])
    net = parity.Network(cfg)
    slots = net.slots()
    for t in slots:
        if t.trained and len(t.shape) >= 2:  # kernels and the classifier: N(0, 2 / fan-in)
            t.value = torch.randn(t.shape, dtype=dtype) * math.sqrt(2 / np.prod(t.shape[1:]))
        elif t.trained:  # BatchNorm / SphereNorm gamma 1, beta 0; learnable kappa 0.7
            gamma = any(getattr(m, "gamma", None) is t for m in _modules(net))
            t.value = torch.full(t.shape, 0.7 if _is_kappa(net, t) else 1.0 if gamma else 0.0, dtype=dtype)
        else:  # running mean 0, variance 1 (the authors' style: both 0)
            authors = cfg["batchNormStyle"] == "authors"
            t.value = torch.full(t.shape, 0.0 if authors or _is_mean(net, t) else 1.0, dtype=dtype)
        t.value = t.value.to(device)
    trained = [t for t in slots if t.trained]
    decay = {"authors": None, "global": True, "none": False}[cfg["weightDecayMode"]]
    for t in trained:
        t.value.requires_grad_(True)
    decayed = [t.value for t in trained if (t.decay if decay is None else decay)]
    others = [t.value for t in trained if not (t.decay if decay is None else decay)]
    groups = [g for g in ({"params": decayed, "weight_decay": cfg["weightDecay"]},
                          {"params": others, "weight_decay": 0.0}) if g["params"]]
    optimizer = (torch.optim.Adam(groups, lr=cfg["learningRate"]) if cfg["optimizer"] == "adam"
                 else torch.optim.SGD(groups, lr=cfg["learningRate"], momentum=cfg["momentum"]))

    batch, per_epoch = cfg["batchSize"], len(subset) // cfg["batchSize"]
    start, iteration = time.time(), 0
    while iteration < cfg["iterations"]:
        order = rng.permutation(len(subset))
        for b in range(per_epoch):
            if iteration >= cfg["iterations"]:
                break
            items = subset[order[b * batch:(b + 1) * batch]]
            images = train_x[items].copy()
            if cfg["augmentation"] == "flip":
                flip = rng.random(len(items)) < 0.5
                images[flip] = images[flip][:, :, ::-1]
            for g in optimizer.param_groups:
                g["lr"] = parity.learning_rate(cfg, iteration)
            out = net(parity.to_input(images, dtype).to(device), True)
            labels = torch.tensor(train_y[items].astype(np.int64), device=device)
            fit = net.head.loss(out, labels, iteration, cfg["labelSmoothing"], cfg["probabilityFloor"])
            total = fit + net.orthogonality(cfg["orthogonality"]) if cfg["orthogonality"] > 0 else fit
            optimizer.zero_grad()
            total.backward()
            optimizer.step()
            iteration += 1
            if iteration % cfg["evalEvery"] == 0 or iteration == cfg["iterations"]:
                correct = 0
                with torch.no_grad():
                    for i in range(0, len(test_x), 500):
                        scores, _ = net(parity.to_input(test_x[i:i + 500], dtype).to(device), False)
                        correct += (scores.argmax(1).cpu().numpy() == test_y[i:i + 500]).sum()
                print(json.dumps({"iteration": iteration, "loss": fit.item(),
                                  "testAccuracy": correct / len(test_x),
                                  "seconds": round(time.time() - start, 1)}), flush=True)


def _modules(net):
    for layer in net.layers:
        if isinstance(layer, str):
            continue
        for unit in (layer.main + ([layer.shortcut] if layer.shortcut else [])
                     if isinstance(layer, parity.Residual) else [layer]):
            yield unit.conv
            if unit.bn:
                yield unit.bn


def _is_kappa(net, t):
    return any(getattr(m, "kappa", None) is t for m in _modules(net))


def _is_mean(net, t):
    return any(getattr(m, "mean", None) is t for m in _modules(net))


if __name__ == "__main__":
    main()
