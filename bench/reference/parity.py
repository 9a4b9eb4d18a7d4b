#!/usr/bin/env python3
"""The PyTorch side of the lock-step parity check (bench/parity.sh).

Written from the project's DESIGN.md and PAPER.md (formulas, constants, the authors' recipe), not
from the Java code: only the file format and the order of the parameters are shared. For each case
the Java side (`spherenet parity-record`) trains through the real training loop and records its
initial state, the batches it consumed (sample indices, flip decisions, labels), every step's loss
and learning rate, and the final parameters, BatchNorm statistics, optimiser moments and test-set
confusion matrix. This script reads Fashion-MNIST itself, loads the same initial state, trains the
same steps in float64 and compares.

    parity.py prepare DIR [CASE ...]   write DIR/<case>/config.json for the Java side
    parity.py check DIR [CASE ...]     train the reference, compare, print one line per case

Study aids (environment): PARITY_DEBUG=N prints a case's N largest differences and every step's
loss difference; PARITY_SAVE=FILE.npz keeps the reference's final state in the case folder;
PARITY_PERTURB=E multiplies every initial value by 1 + E; PARITY_REFERENCE_DTYPE=float32 trains the
reference in float32; PARITY_SHOW_GRADIENT=NAME prints one tensor's gradient at every step.

Relative difference: for each compared tensor, max|java - ref| / max|ref| (the largest error
against the tensor's own scale); for each step's loss and learning rate, |java - ref| / |ref|;
the case's number is the largest of all of them. docs/FIDELITY.md says why.
"""
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

EPSILON = 1e-4  # inside the square root of every norm (DESIGN section 3)
DATA = os.environ.get("SPHERENET_DATA", "/usr/share/datasets/fashion-mnist")
STEPS = int(os.environ.get("PARITY_STEPS", "50"))

# ---------------------------------------------------------------------------------------------
# The cases: each is the main job's recipe (TrainConfig's defaults) changed in a few settings,
# small enough to train 50 steps in seconds.

BASE = {"dataFraction": 0.01, "batchSize": 16, "iterations": STEPS, "evalEvery": STEPS,
        "checkpointEvery": STEPS, "evalLimit": 256, "width": 0.0625, "dataType": "float64"}
F64 = 1e-9  # the bound for every float64 case (issue 12)


def case(name, bound=F64, **settings):
    return name, dict(BASE, **settings), bound


CASES = [
    case("spherenet9-default", width=0.125),
    case("cnn9", model="cnn9"),
    case("op-cosine", operator="cosine"),
    case("op-sigmoid-0.3", operator="sigmoid(0.3)"),
    case("op-learnable-sigmoid", operator="learnable-sigmoid"),
    case("loss-w-softmax", classifier="w-softmax"),
    case("loss-ga-linear-1.5", classifier="ga-softmax:linear:1.5"),
    case("loss-ga-sigmoid-1.5", classifier="ga-softmax:sigmoid(0.3):1.5"),
    case("loss-a-softmax", classifier="a-softmax"),
    case("loss-authors-floor", labelSmoothing=0.01, probabilityFloor=1e-4),
    case("loss-no-smoothing", labelSmoothing=0.0),
    case("bn-authors", batchNormStyle="authors"),
    case("spherenorm-rescaled", sphereNorm=True, batchNorm=False),
    case("spherenorm-plain-bn", sphereNorm=True, sphereNormRescaled=False),
    case("no-normalisation", batchNorm=False),
    case("no-orthogonality", orthogonality=0.0),
    case("decay-global", weightDecayMode="global"),
    case("decay-none", weightDecayMode="none"),
    case("sgd-momentum", optimizer="sgd", learningRate=0.05),
    case("schedule-step", schedule="step"),
    # 31 layers: rounding differences grow geometrically here (docs/FIDELITY.md), its own bound
    case("sphereresnet32", 5e-8, model="sphereresnet32", width=0.0625),
    case("spherenet38-deep", model="spherenet38", batchNorm=False),
    case("no-augmentation", augmentation="none"),
    # float32 training against the float64 reference: one step (the kernels' rounding), then 50
    # (float32 training drifts, and more than PyTorch 1.13's own float32 does: FIDELITY.md)
    case("spherenet9-float32-1step", 1e-2, width=0.125, dataType="float32",
         iterations=1, evalEvery=1, checkpointEvery=1),
    case("cnn9-float32-1step", 1e-3, model="cnn9", dataType="float32",
         iterations=1, evalEvery=1, checkpointEvery=1),
    case("spherenet9-default-float32", 4.0, dataType="float32"),
    case("cnn9-float32", 4.0, model="cnn9", dataType="float32"),
]

# ---------------------------------------------------------------------------------------------
# Data: the IDX files read directly, the first round(f * n_c) images of each class in file order,
# flips as recorded, pixels mapped by (p - 127.5) / 128.


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = [struct.unpack(">i", data[4 + 4 * i:8 + 4 * i])[0] for i in range(magic & 0xFF)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def fashion_mnist():
    return tuple(read_idx(os.path.join(DATA, f"{split}-{kind}-idx{n}-ubyte.gz"))
                 for split in ("train", "t10k") for kind, n in (("images", 3), ("labels", 1)))


def class_balanced_subset(labels, fraction):
    if fraction == 1:
        return np.arange(len(labels))
    counts = np.bincount(labels, minlength=10)
    keep = [max(1, int(math.floor(fraction * c + 0.5))) if c else 0 for c in counts]
    taken = np.zeros(10, int)
    chosen = []
    for i, y in enumerate(labels):
        if taken[y] < keep[y]:
            chosen.append(i)
        taken[y] += 1
    return np.array(chosen)


def to_input(images, dtype):
    return torch.tensor((images.astype(np.float64) - 127.5) / 128, dtype=dtype).unsqueeze(1)


# ---------------------------------------------------------------------------------------------
# The angular functions g(theta) and their margin extensions psi(theta; m), DESIGN sections 3-4.


def sigmoid_g(theta, k):
    """The paper's form: C_k (1 - e^z) / (1 + e^z), z = theta/k - pi/(2k)."""
    c = (1 + math.e ** (-math.pi / (2 * k))) if not torch.is_tensor(k) else 1 + torch.exp(-math.pi / (2 * k))
    d = (1 - math.e ** (-math.pi / (2 * k))) if not torch.is_tensor(k) else 1 - torch.exp(-math.pi / (2 * k))
    z = theta / k - math.pi / (2 * k)
    return c / d * (1 - torch.exp(z)) / (1 + torch.exp(z))


class Angular:
    def __init__(self, name):
        self.name = name
        if name.startswith("sigmoid"):
            self.k = float(name[len("sigmoid("):-1]) if "(" in name else 0.3

    def g(self, cos, k=None):
        if self.name == "cosine":
            return cos
        theta = torch.acos(cos)
        if self.name == "linear":
            return 1 - 2 * theta / math.pi
        if self.name == "learnable-sigmoid":
            return sigmoid_g(theta, k)
        return sigmoid_g(theta, self.k)

    def psi(self, cos, m):
        theta = torch.acos(cos)
        if self.name == "cosine":
            q = torch.floor(m * theta / math.pi).detach()
            return (1 - 2 * torch.remainder(q, 2)) * torch.cos(m * theta) - 2 * q
        if self.name == "linear":
            return 1 - 2 * m * theta / math.pi
        return sigmoid_g(m * theta, self.k)


def parse_operator(name):
    return None if name in ("conv", "plain") else Angular(name)


# ---------------------------------------------------------------------------------------------
# The network, as a list of modules that each own named tensors; `slots` lists every tensor in
# the order the Java network lists its parameters (each module: its own tensors, then its
# children's), which is how the two are matched (shapes checked).


class Tensor:
    def __init__(self, shape, trained, decay=False, orthogonal=False):
        self.shape, self.trained, self.decay, self.orthogonal = tuple(shape), trained, decay, orthogonal
        self.value = None


class Conv:
    """A k x k convolution without bias: plain, SphereConv (g of the cosine with the authors'
    norms) or SphereNorm (SphereConv, optionally rescaled per channel by gamma, beta)."""

    def __init__(self, cin, cout, k, stride, padding, angular, sphere_norm=False, rescaled=False):
        self.stride, self.padding, self.angular = stride, padding, angular
        self.weight = Tensor((cout, cin, k, k), True, decay=angular is None, orthogonal=angular is not None)
        self.kappa = Tensor((cout,), True) if angular is not None and angular.name == "learnable-sigmoid" else None
        self.gamma = self.beta = None
        if sphere_norm and rescaled:
            self.gamma, self.beta = Tensor((cout,), True, decay=True), Tensor((cout,), True, decay=True)

    def slots(self):
        own = [t for t in (self.gamma, self.beta) if t is not None]
        conv = [self.weight] + ([self.kappa] if self.kappa else [])
        return own + conv  # a SphereNorm's own gamma/beta come before its SphereConv's

    def __call__(self, x, training):
        w = self.weight.value
        if self.angular is None:
            return F.conv2d(x, w, stride=self.stride, padding=self.padding)
        w_norm = torch.sqrt((w * w).sum(dim=(1, 2, 3)) + EPSILON).view(1, -1, 1, 1)
        ones = torch.ones((1,) + tuple(w.shape[1:]), dtype=x.dtype)
        x_norm = torch.sqrt(F.conv2d(x * x, ones, stride=self.stride, padding=self.padding) + EPSILON)
        cos = F.conv2d(x, w, stride=self.stride, padding=self.padding) / (w_norm * x_norm)
        k = None if self.kappa is None else (self.kappa.value.abs() + 0.05).view(1, -1, 1, 1)
        out = self.angular.g(cos, k)
        if self.gamma is not None:
            out = out * self.gamma.value.view(1, -1, 1, 1) + self.beta.value.view(1, -1, 1, 1)
        return out


class BatchNorm:
    """usual: PyTorch's (momentum 0.1, eps 1e-5, running variance from 1, unbiased); authors':
    moving averages with decay 0.999 from 0, eps 1e-3, of the batch mean and (biased, as
    tf.nn.moments) variance (PAPER section 1.5, DESIGN section 6)."""

    def __init__(self, channels, style):
        self.style = style
        self.gamma, self.beta = Tensor((channels,), True, decay=True), Tensor((channels,), True, decay=True)
        self.mean, self.var = Tensor((channels,), False), Tensor((channels,), False)

    def slots(self):
        return [self.gamma, self.beta, self.mean, self.var]

    def __call__(self, x, training):
        eps = 1e-5 if self.style == "usual" else 1e-3
        shape = (1, -1, 1, 1) if x.dim() == 4 else (1, -1)
        axes = (0, 2, 3) if x.dim() == 4 else (0,)
        if training:
            mean = x.mean(dim=axes)
            var = ((x - mean.view(shape)) ** 2).mean(dim=axes)
            with torch.no_grad():
                n = x.numel() / x.shape[1]
                if self.style == "usual":
                    self.mean.value.mul_(0.9).add_(0.1 * mean)
                    self.var.value.mul_(0.9).add_(0.1 * var * n / (n - 1))
                else:
                    self.mean.value.mul_(0.999).add_(0.001 * mean)
                    self.var.value.mul_(0.999).add_(0.001 * var)
        else:
            mean, var = self.mean.value, self.var.value
        return (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) * self.gamma.value.view(shape) \
            + self.beta.value.view(shape)


class Unit:
    """conv (or SphereNorm) -> optional BatchNorm -> optional ReLU."""

    def __init__(self, cfg, cin, cout, k, stride, padding, angular, relu, bn):
        self.conv = Conv(cin, cout, k, stride, padding, angular if not cfg["sphereNorm"] else
                         (angular or Angular("cosine")), cfg["sphereNorm"], cfg["sphereNormRescaled"])
        self.bn = BatchNorm(cout, cfg["batchNormStyle"]) if bn else None
        self.relu = relu

    def slots(self):
        return self.conv.slots() + (self.bn.slots() if self.bn else [])

    def __call__(self, x, training):
        x = self.conv(x, training)
        if self.bn:
            x = self.bn(x, training)
        return F.relu(x) if self.relu else x


class Residual:
    def __init__(self, cfg, cin, cout, stride, angular):
        bn = cfg["batchNorm"]
        self.main = [Unit(cfg, cin, cout, 3, stride, 1, angular, True, bn),
                     Unit(cfg, cout, cout, 3, 1, 1, angular, False, bn)]
        plain = dict(cfg, sphereNorm=False)
        # the projection shortcut: a plain 1x1 conv and BatchNorm (PAPER section 8.2)
        self.shortcut = None if cin == cout and stride == 1 else Unit(plain, cin, cout, 1, stride, 0, None, False, True)

    def slots(self):
        return [t for u in self.main for t in u.slots()] + (self.shortcut.slots() if self.shortcut else [])

    def __call__(self, x, training):
        y = self.main[1](self.main[0](x, training), training)
        return F.relu(y + (self.shortcut(x, training) if self.shortcut else x))


class Head:
    """softmax: a linear layer without bias; angular: cosines to unit class weights and |f|."""

    def __init__(self, classifier, features, classes):
        self.classifier = classifier
        self.weight = Tensor((classes, features), True, decay=True)
        if classifier == "softmax":
            self.angular, self.margin, self.annealed = None, 1, False
        elif classifier == "w-softmax":
            self.angular, self.margin, self.annealed = Angular("cosine"), 1, False
        elif classifier == "a-softmax":
            self.angular, self.margin, self.annealed = Angular("cosine"), 4, True
        else:
            _, g, m = classifier.split(":")
            self.angular, self.margin, self.annealed = Angular(g), float(m), False

    def slots(self):
        return [self.weight]

    def __call__(self, f, training):
        w = self.weight.value
        if self.angular is None:
            return f @ w.t(), None
        f_norm = torch.sqrt((f * f).sum(dim=1, keepdim=True) + EPSILON)
        w_norm = torch.sqrt((w * w).sum(dim=1) + EPSILON)
        return (f @ w.t()) / w_norm / f_norm, f_norm

    def loss(self, out, labels, iteration, smoothing, floor):
        scores, f_norm = out
        classes = scores.shape[1]
        onehot = F.one_hot(labels, classes).to(scores.dtype)
        if self.angular is None:
            logits = scores
        else:
            cos_y = (scores * onehot).sum(dim=1, keepdim=True)
            target = self.angular.psi(cos_y, self.margin)
            if self.annealed:  # SphereFace: lambda = max(5, 1000 (1 + 0.12 iter)^-1)
                lam = max(5.0, 1000.0 / (1 + 0.12 * iteration))
                target = (lam * self.angular.g(cos_y) + target) / (1 + lam)
            logits = f_norm * (self.angular.g(scores) * (1 - onehot) + target * onehot)
        probabilities = torch.softmax(logits, dim=1)
        log_p = torch.log(probabilities + floor) if floor > 0 else torch.log_softmax(logits, dim=1)
        t = onehot * (1 - smoothing) + smoothing / classes
        return -(t * log_p).sum(dim=1).mean()


def scaled(paper, width):
    return max(1, int(math.floor(paper * width + 0.5)))


class Network:
    def __init__(self, cfg, classes=10, channels=1, size=28):
        model = cfg["model"]
        sphere = not model.startswith(("cnn", "resnet"))
        operator = cfg.get("operator") or ("linear" if sphere else "conv")
        angular = parse_operator(operator)
        bn = cfg["batchNorm"]
        self.layers = []  # (callable, kind)
        if model.startswith(("spherenet", "cnn")):
            depth = int("".join(ch for ch in model if ch.isdigit()))
            per_stage = {9: (3, 3, 3), 18: (6, 6, 6), 38: (13, 13, 12), 69: (23, 23, 23)}[depth]
            c, s = channels, size
            for stage, paper in enumerate((128, 192, 256)):
                for _ in range(per_stage[stage]):
                    self.layers.append(Unit(cfg, c, scaled(paper, cfg["width"]), 3, 1, 1, angular, True, bn))
                    c = scaled(paper, cfg["width"])
                self.layers.append("maxpool")
                s //= 2
            # fc6: a valid conv over what is left, the cosine SphereConv in SphereNets, no ReLU
            fc6 = Angular("cosine") if angular is not None else None
            self.layers.append(Unit(cfg, c, scaled(256, cfg["width"]), s, 1, 0, fc6, False,
                                    bn and cfg["fc6BatchNorm"]))
            features = scaled(256, cfg["width"])
        else:  # sphereresnet32 / resnet32
            c = scaled(96, cfg["width"])
            self.layers.append(Unit(cfg, channels, c, 3, 1, 1, angular, True, bn))
            for stage, paper in enumerate((96, 192, 384)):
                for i in range(5):
                    out = scaled(paper, cfg["width"])
                    self.layers.append(Residual(cfg, c, out, 2 if stage > 0 and i == 0 else 1, angular))
                    c = out
            self.layers.append("avgpool")
            features = c
        self.head = Head(cfg["classifier"], features, classes)

    def slots(self):
        return [t for layer in self.layers if not isinstance(layer, str) for t in layer.slots()] + self.head.slots()

    def __call__(self, x, training):
        for layer in self.layers:
            if layer == "maxpool":
                x = F.max_pool2d(x, 2, 2)
            elif layer == "avgpool":
                x = x.mean(dim=(2, 3), keepdim=True)
            else:
                x = layer(x, training)
        return self.head(x.flatten(1), training)

    def orthogonality(self, coefficient):
        """coefficient * 0.5 * ||M^T M - I||_F^2 per SphereConv kernel, M = W as (k k Cin) x Cout."""
        total = 0
        for t in self.slots():
            if t.orthogonal:
                m = t.value.reshape(t.shape[0], -1).t()
                gram = m.t() @ m
                total = total + 0.5 * ((gram - torch.eye(gram.shape[0], dtype=gram.dtype)) ** 2).sum()
        return coefficient * total


def learning_rate(cfg, iteration):
    base, total = cfg["learningRate"], cfg["iterations"]
    if cfg["schedule"] == "cosine":
        return base * 0.5 * (1 + math.cos(math.pi * iteration / total))
    # the authors' /10 at 34k and 54k of 64k iterations, scaled to the run's length
    first, second = math.floor(total * 34 / 64 + 0.5), math.floor(total * 54 / 64 + 0.5)
    return base if iteration < first else base / 10 if iteration < second else base / 100


# ---------------------------------------------------------------------------------------------


def relative(a, b):
    scale = np.abs(b).max() if b.size else 0
    error = np.abs(a - b).max() if b.size else 0
    return 0.0 if error == 0 else error / max(scale, 1e-300)


def full_config(cfg):
    defaults = {"model": "spherenet9", "operator": None, "classifier": "softmax", "width": 0.125,
                "batchNorm": True, "batchNormStyle": "usual", "sphereNorm": False,
                "sphereNormRescaled": True, "fc6BatchNorm": True, "augmentation": "flip",
                "optimizer": "adam", "learningRate": 2e-3, "momentum": 0.9, "schedule": "cosine",
                "weightDecay": 5e-4, "weightDecayMode": "authors", "orthogonality": 2e-4,
                "labelSmoothing": 0.1, "probabilityFloor": 0.0, "dataType": "float32"}
    return dict(defaults, **cfg)


def check_case(name, directory, bound, data):
    cfg = full_config(json.load(open(os.path.join(directory, "config.json"))))
    dtype = getattr(torch, os.environ.get("PARITY_REFERENCE_DTYPE", "float64"))
    train_x, train_y, test_x, test_y = data
    problems = []
    net = Network(cfg)
    slots = net.slots()
    params = json.load(open(os.path.join(directory, "params.json")))
    init = np.load(os.path.join(directory, "init.npz"))
    final = np.load(os.path.join(directory, "final.npz"))
    if len(params) != len(slots):
        return None, [f"{len(params)} Java parameters, {len(slots)} in the reference"]
    decay = {"authors": None, "global": True, "none": False}[cfg["weightDecayMode"]]
    for p, t in zip(params, slots):
        if tuple(p["shape"]) != t.shape:
            return None, [f"{p['name']}: Java shape {p['shape']}, reference {t.shape}"]
        t.value = torch.tensor(init[p["name"]], dtype=dtype)
        if os.environ.get("PARITY_PERTURB"):  # a relative nudge of every initial value, for studies
            t.value = t.value * (1 + float(os.environ["PARITY_PERTURB"]))
        t.name = p["name"]
        wanted = (t.decay if decay is None else decay) if t.trained else False
        if p["trained"] != t.trained or (p["weightDecay"] > 0) != wanted \
                or (p["orthogonality"] and cfg["orthogonality"] > 0) != (t.orthogonal and cfg["orthogonality"] > 0):
            problems.append(f"{p['name']}: Java trained={p['trained']} decay={p['weightDecay']} "
                            f"orthogonality={p['orthogonality']}, reference trained={t.trained} "
                            f"decay={wanted} orthogonality={t.orthogonal}")
    for t in slots:  # the initialisation the reference did not draw: N(0, 2 / fan-in) for kernels
        if len(t.shape) >= 2 and t.value.numel() >= 256:
            he = math.sqrt(2 / np.prod(t.shape[1:]))
            std = t.value.std().item()
            if not 0.8 * he < std < 1.25 * he or abs(t.value.mean().item()) > 4 * he / math.sqrt(t.value.numel()):
                problems.append(f"{t.name}: initial std {std:.4g}, mean {t.value.mean().item():.3g};"
                                f" expected N(0, {he:.4g}^2)")
    if cfg["batchNorm"] and cfg["batchNormStyle"] == "authors":
        for t in slots:
            if not t.trained and t.value.abs().max() != 0:
                problems.append(f"{t.name}: the authors' running statistics start at 0")
    trained = [t for t in slots if t.trained]
    for t in trained:
        t.value.requires_grad_(True)
    groups = [{"params": [t.value for t in trained if (t.decay if decay is None else decay)],
               "weight_decay": cfg["weightDecay"]},
              {"params": [t.value for t in trained if not (t.decay if decay is None else decay)],
               "weight_decay": 0.0}]
    groups = [g for g in groups if g["params"]]
    if cfg["optimizer"] == "adam":
        optimizer = torch.optim.Adam(groups, lr=cfg["learningRate"], betas=(0.9, 0.999), eps=1e-8)
    else:
        optimizer = torch.optim.SGD(groups, lr=cfg["learningRate"], momentum=cfg["momentum"])

    batches = np.load(os.path.join(directory, "batches.npz"))
    steps = np.load(os.path.join(directory, "steps.npz"))
    subset = class_balanced_subset(train_y, cfg["dataFraction"])
    worst, where = 0.0, ""
    report = []

    def note(value, what):
        nonlocal worst, where
        report.append((value, what))
        if not value <= worst:  # NaN counts as worst
            worst, where = value, what

    n = len(batches["indices"])
    for step in range(n):
        items = subset[batches["indices"][step]]
        labels = train_y[items].astype(np.int64)
        if not np.array_equal(labels, batches["labels"][step]):
            problems.append(f"step {step}: labels differ from the Java batch's")
        images = train_x[items].copy()
        if cfg["augmentation"] == "flip":
            flip = batches["flips"][step].astype(bool)
            images[flip] = images[flip][:, :, ::-1]
        elif batches["flips"][step].any():
            problems.append(f"step {step}: Java flipped images without augmentation")
        rate = learning_rate(cfg, step)
        note(abs(steps["rate"][step] - rate) / rate, f"learning rate at step {step}")
        for g in optimizer.param_groups:
            g["lr"] = rate
        out = net(to_input(images, dtype), True)
        fit = net.head.loss(out, torch.tensor(labels), step, cfg["labelSmoothing"], cfg["probabilityFloor"])
        total = fit + net.orthogonality(cfg["orthogonality"]) if cfg["orthogonality"] > 0 else fit
        optimizer.zero_grad()
        total.backward()
        for t in trained:  # a study aid: show one tensor's gradient at every step
            if t.name == os.environ.get("PARITY_SHOW_GRADIENT"):
                print(f"    step {step} gradient of {t.name}:", t.value.grad.flatten().tolist())
        optimizer.step()
        note(abs(steps["loss"][step] - fit.item()) / abs(fit.item()), f"loss at step {step}")
    if os.environ.get("PARITY_SAVE"):  # the reference's own final state, to compare two of its runs
        state = {t.name: t.value.detach().numpy() for t in slots}
        state.update({f"{kind}:{t.name}": optimizer.state[t.value][key].numpy() for t in trained
                      for kind, key in (("m", "exp_avg"), ("v", "exp_avg_sq"), ("velocity", "momentum_buffer"))
                      if key in optimizer.state[t.value]})
        np.savez(os.path.join(directory, os.environ["PARITY_SAVE"]), **state)
    for t in slots:
        note(relative(final[t.name], t.value.detach().numpy()), t.name)
    for kind, key in (("m", "exp_avg"), ("v", "exp_avg_sq"), ("velocity", "momentum_buffer")):
        for t in trained:
            if f"{kind}:{t.name}" in final.files:
                note(relative(final[f"{kind}:{t.name}"], optimizer.state[t.value][key].numpy()), f"{kind}:{t.name}")

    evaluation = json.load(open(os.path.join(directory, "evaluation.json")))
    java_confusion = np.array(evaluation["confusion"])
    count = int(java_confusion.sum())
    with torch.no_grad():
        scores, _ = net(to_input(test_x[:count], dtype), False)
    predicted = scores.argmax(dim=1).numpy()
    confusion = np.zeros((10, 10), int)
    np.add.at(confusion, (test_y[:count], predicted), 1)
    differing = int(np.abs(confusion - java_confusion).sum()) // 2
    allowed = 0 if cfg["dataType"] == "float64" else count * 2 // 5  # float32: another trajectory
    if differing > allowed:
        problems.append(f"evaluation: {differing} of {count} test predictions differ (allowed {allowed})")
    if os.environ.get("PARITY_DEBUG"):
        for value, what in sorted(report, key=lambda r: -r[0] if r[0] == r[0] else -1e300)[:int(os.environ["PARITY_DEBUG"])]:
            print(f"    {value:.3g}  {what}")
        print("    losses:", " ".join(f"{v:.2g}" for v, w in report if w.startswith("loss")))
    return (worst, where, n, differing, count), problems


def main():
    command, root, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    chosen = [c for c in CASES if not names or c[0] in names]
    if command == "prepare":
        for name, cfg, _ in chosen:
            os.makedirs(os.path.join(root, name), exist_ok=True)
            with open(os.path.join(root, name, "config.json"), "w") as f:
                json.dump(cfg, f, indent=1)
            print(os.path.join(root, name))
        return 0
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    data = fashion_mnist()
    failed = 0
    for name, _, bound in chosen:
        start = time.time()
        try:
            result, problems = check_case(name, os.path.join(root, name), bound, data)
        except Exception as e:  # a broken case must not hide the others
            result, problems = None, [f"{type(e).__name__}: {e}"]
        if result is None:
            print(f"{name:28s} FAILED: {'; '.join(problems)}")
            failed += 1
            continue
        worst, where, n, differing, count = result
        ok = worst <= bound and not problems
        failed += not ok
        print(f"{name:28s} max relative difference {worst:.3g} over {n} steps"
              f" (bound {bound:g}; worst: {where}; eval {count - differing}/{count} alike; {time.time() - start:.1f} s)"
              f"{'' if ok else '  FAILED'}")
        for p in problems:
            print(f"{'':28s}   {p}")
    print(f"parity: {len(chosen) - failed} of {len(chosen)} cases within their bounds")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
