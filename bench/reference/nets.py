"""The PyTorch reference: SphereConv and the benchmark networks, written the plain way.

Same maths as the Java library (DESIGN.md section 3) and the same layouts as
core/src/main/java/org/spherenet/model (PlainNet, ResNets, ConvStyle, Head), composed the way a
PyTorch user would write them from the paper: convolve, divide by both norms, clamp, acos.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

EPSILON = 1e-4  # under every square root of a norm, as the authors' code
CLAMP = 1 - 1.2e-7  # keeps acos finite in float32 (one float32 step below 1)


def linear_g(cos):
    return 1 - 2 / math.pi * torch.acos(torch.clamp(cos, -CLAMP, CLAMP))


def cosine_g(cos):
    return cos


def sigmoid_g(k):
    def g(cos):
        theta = torch.acos(torch.clamp(cos, -CLAMP, CLAMP))
        return torch.tanh((math.pi / 2 - theta) / (2 * k)) / math.tanh(math.pi / (4 * k))
    return g


def angular(name):
    """conv (None), linear, cosine or sigmoid(K)."""
    if name in ("conv", "plain"):
        return None
    if name == "linear":
        return linear_g
    if name == "cosine":
        return cosine_g
    if name.startswith("sigmoid"):
        k = name[len("sigmoid"):].strip("():") or "0.3"
        return sigmoid_g(float(k))
    raise SystemExit(f"unknown operator '{name}' (expected conv, linear, cosine or sigmoid(K))")


class SphereConv2d(nn.Module):
    """g(cos) between each kernel and each patch, with the authors' norms; no bias."""

    def __init__(self, cin, cout, k, stride, padding, g):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k) * math.sqrt(2 / (k * k * cin)))
        self.register_buffer("ones", torch.ones(1, cin, k, k))
        self.stride, self.padding, self.g = stride, padding, g

    def forward(self, x):
        w_norm = torch.sqrt((self.weight ** 2).sum(dim=(1, 2, 3)) + EPSILON).view(1, -1, 1, 1)
        x_norm = torch.sqrt(F.conv2d(x * x, self.ones, stride=self.stride, padding=self.padding) + EPSILON)
        cos = F.conv2d(x, self.weight, stride=self.stride, padding=self.padding) / w_norm / x_norm
        return self.g(cos)


def conv(cin, cout, k, stride, padding, g):
    if g is None:
        return nn.Conv2d(cin, cout, k, stride, padding, bias=False)
    return SphereConv2d(cin, cout, k, stride, padding, g)


def unit(cin, cout, k, stride, padding, g, relu=True, bn=True):
    """conv -> BatchNorm (PyTorch's usual: momentum 0.1, eps 1e-5) -> ReLU, as ConvStyle.unit."""
    layers = [conv(cin, cout, k, stride, padding, g)]
    if bn:
        layers.append(nn.BatchNorm2d(cout))
    if relu:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def scaled(channels, width):
    return max(1, round(channels * width))


def plain_net(depth, g, width, image, classes):
    """SphereNet-N / CNN-N (PlainNet.java): 3 stages, max-pool after each, fc6, classifier."""
    stages = [depth // 3 + (1 if i < depth % 3 else 0) for i in range(3)]
    c, h, _ = image
    layers = []
    for stage, paper in enumerate((128, 192, 256)):
        filters = scaled(paper, width)
        for _ in range(stages[stage]):
            layers.append(unit(c, filters, 3, 1, 1, g))
            c = filters
        layers.append(nn.MaxPool2d(2, 2))
        h //= 2
    fc6_g = cosine_g if g is not None else None  # the authors' fc6 is a cosine SphereConv
    layers.append(unit(c, scaled(256, width), h, 1, 0, fc6_g, relu=False))
    layers += [nn.Flatten(), nn.Linear(scaled(256, width), classes, bias=False)]
    return nn.Sequential(*layers)


class BasicUnit(nn.Module):
    """conv-BN-ReLU-conv-BN plus the shortcut (identity, or plain 1x1 conv + BN), then ReLU."""

    def __init__(self, cin, cout, stride, g):
        super().__init__()
        self.main = nn.Sequential(unit(cin, cout, 3, stride, 1, g), unit(cout, cout, 3, 1, 1, g, relu=False))
        self.shortcut = (nn.Identity() if cin == cout and stride == 1
                         else unit(cin, cout, 1, stride, 0, None, relu=False))

    def forward(self, x):
        return F.relu(self.main(x) + self.shortcut(x))


def resnet32(g, width, image, classes):
    """SphereResNet-32 / ResNet-32 (ResNets.cifar)."""
    c = scaled(96, width)
    layers = [unit(image[0], c, 3, 1, 1, g)]
    for stage, paper in enumerate((96, 192, 384)):
        filters = scaled(paper, width)
        for i in range(5):
            layers.append(BasicUnit(c, filters, 2 if stage > 0 and i == 0 else 1, g))
            c = filters
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes, bias=False)]
    return nn.Sequential(*layers)


MODELS = {  # name: (builder, default operator)
    "spherenet9": (lambda g, w, i, c: plain_net(9, g, w, i, c), "linear"),
    "cnn9": (lambda g, w, i, c: plain_net(9, g, w, i, c), "conv"),
    "sphereresnet32": (resnet32, "linear"),
    "resnet32": (resnet32, "conv"),
}


def build(model, operator, width, image, classes):
    if model not in MODELS:
        raise SystemExit(f"unknown model '{model}' (known: {', '.join(MODELS)})")
    builder, default = MODELS[model]
    return builder(angular(operator or default), width, image, classes)


def sphere_kernels(net):
    return [m.weight for m in net.modules() if isinstance(m, SphereConv2d)]


def orthogonality(kernels, coefficient=2e-4):
    """coefficient * sum of 0.5 * ||W W^T - I||_F^2, W the kernel as (out, in*k*k)."""
    total = 0
    for w in kernels:
        w = w.view(w.shape[0], -1)
        total = total + 0.5 * ((w @ w.t() - torch.eye(w.shape[0])) ** 2).sum()
    return coefficient * total


def multiply_adds(net, image):
    """Multiply-adds per image, counted as Complexity.java does (convs, patch norms, linears)."""
    total = [0]

    def hook(module, inputs, output):
        if isinstance(module, (nn.Conv2d, SphereConv2d)):
            cout, cin, kh, kw = module.weight.shape
            positions = output.shape[2] * output.shape[3]
            total[0] += positions * cout * cin * kh * kw
            if isinstance(module, SphereConv2d):
                total[0] += positions * kh * kw
        elif isinstance(module, nn.Linear):
            total[0] += module.weight.numel()

    handles = [m.register_forward_hook(hook) for m in net.modules()]
    was_training = net.training
    net.eval()
    with torch.no_grad():
        net(torch.zeros(1, *image))
    net.train(was_training)
    for h in handles:
        h.remove()
    return total[0]
