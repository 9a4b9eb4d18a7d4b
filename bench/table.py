"""Turns compare.sh's results into the ratio table, prints it and writes it into PERFORMANCE.md.

Each ratio is taken within one round (the runs that saw the same load) and the median over the
rounds is reported, with the range.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
from collections import defaultdict

BEGIN = "<!-- compare.sh: begin (generated, do not edit by hand) -->"
END = "<!-- compare.sh: end -->"

# (description, numerator (label, side), denominator (label, side), target, higher is better)
TARGETS = [
    ("SphereNet-9 step: reference (default environment) / ours",
     ("spherenet9", "reference"), ("spherenet9", "ours"), 1.5, True),
    ("SphereNet-9 step: reference (our allocator tuning) / ours",
     ("spherenet9", "reference-tuned"), ("spherenet9", "ours"), 1.1, True),
    ("SphereNet-9 / CNN-9 step (ours)", ("spherenet9", "ours"), ("cnn9", "ours"), 1.25, False),
    ("SphereNet-9 / CNN-9 peak memory (ours)", ("spherenet9", "ours"), ("cnn9", "ours"), 1.3, False),
]
INFO = [
    ("SphereNet-9 / CNN-9 step (reference, tuned)",
     ("spherenet9", "reference-tuned"), ("cnn9", "reference-tuned")),
    ("SphereNet-9 / CNN-9 peak memory (reference, tuned)",
     ("spherenet9", "reference-tuned"), ("cnn9", "reference-tuned")),
    ("CNN-9 step: reference (tuned) / ours", ("cnn9", "reference-tuned"), ("cnn9", "ours")),
    ("Fashion-MNIST default net step: reference (default) / ours",
     ("fashion-spherenet9", "reference"), ("fashion-spherenet9", "ours")),
    ("Fashion-MNIST default net step: reference (tuned) / ours",
     ("fashion-spherenet9", "reference-tuned"), ("fashion-spherenet9", "ours")),
    ("Fashion-MNIST SphereNet-9 / CNN-9 step (ours)",
     ("fashion-spherenet9", "ours"), ("fashion-cnn9", "ours")),
    ("SphereResNet-32 (width 0.25) step: reference (default) / ours",
     ("sphereresnet32", "reference"), ("sphereresnet32", "ours")),
    ("SphereResNet-32 (width 0.25) step: reference (tuned) / ours",
     ("sphereresnet32", "reference-tuned"), ("sphereresnet32", "ours")),
    ("SphereResNet-32 / ResNet-32 step (ours)", ("sphereresnet32", "ours"), ("resnet32", "ours")),
    ("SphereResNet-32 / ResNet-32 peak memory (ours)", ("sphereresnet32", "ours"), ("resnet32", "ours")),
]


def machine():
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
        except OSError:
            return "?"
    cpu = first("lscpu | sed -n 's/^Model name: *//p'") or platform.processor()
    mem = first("awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo")
    distro = first(". /etc/os-release && echo $PRETTY_NAME")
    java = first("java -version 2>&1 | head -1")
    torch = first("/usr/bin/python3 -c 'import torch; print(torch.__version__)'")
    pom = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pom.xml")
    djl = first(f"sed -n 's#.*<djl.version>\\(.*\\)</djl.version>.*#\\1#p' {pom} | head -1")
    libtorch = first(f"sed -n 's#.*<pytorch.version>\\(.*\\)</pytorch.version>.*#\\1#p' {pom} | head -1")
    return (f"{os.cpu_count()} cores of {cpu}, {mem}, {distro}; ours: {java}, DJL {djl} with "
            f"libtorch {libtorch}; reference: Debian python3-torch {torch}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("performance_md")
    p.add_argument("--threads")
    p.add_argument("--rounds", type=int)
    p.add_argument("--load")
    p.add_argument("--quiet")
    p.add_argument("--environment")
    a = p.parse_args()

    # runs[(label, side)] = [result of round 1, round 2, ...], in the order they ran
    runs = defaultdict(list)
    with open(a.results) as f:
        for line in f:
            r = json.loads(line)
            runs[(r["label"], r["side"])].append(r["result"])

    def ratio(num, den, field):
        pairs = zip(runs.get(num, []), runs.get(den, []))
        values = [n[field] / d[field] for n, d in pairs]
        return values

    def fmt(values):
        if not values:
            return "n/a", None
        m = statistics.median(values)
        spread = f" ({min(values):.2f}-{max(values):.2f})" if len(values) > 1 else ""
        return f"{m:.2f}x{spread}", m

    lines = []
    lines.append(f"Measured {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC by `bench/compare.sh`: "
                 f"{a.rounds} round(s), {a.threads} intra-op threads on both sides, each "
                 f"configuration in its own process, ours and the reference alternating.")
    lines.append("")
    lines.append(f"- Machine: {machine()}.")
    lines.append(f"- Quiet: {a.quiet} (load average {a.load}).")
    lines.append(f"- Environment of ours and reference-tuned (bin/native-env.sh): {a.environment}; "
                 "reference: none of it (glibc's malloc untuned, OpenMP's default waits).")
    lines.append("- Training step = forward, loss (cross-entropy with label smoothing 0.1 + "
                 "orthogonality penalty), backward, Adam update with weight decay; one synthetic "
                 "batch; median ms over the timed steps. Memory = peak resident set of the process.")
    lines.append("")
    lines.append("| configuration | side | ms/step (median of rounds) | images/s | GFLOP/s | peak MiB |")
    lines.append("|---|---|---|---|---|---|")
    for (label, side), rs in runs.items():
        ms = statistics.median(r["medianMs"] for r in rs)
        rss = statistics.median(r["peakRssMiB"] for r in rs)
        r0 = rs[0]
        lines.append(f"| {label} ({r0['model']}, width {r0['width']}, {r0['input']}, batch "
                     f"{r0['batch']}) | {side} | {ms:.1f} | {r0['batch'] / ms * 1e3:.1f} | "
                     f"{r0['gflopPerStep'] / ms * 1e3:.1f} | {rss:.0f} |")
    lines.append("")
    lines.append("| target (ratio per round, median and range) | measured | target | met |")
    lines.append("|---|---|---|---|")
    for desc, num, den, target, higher in TARGETS:
        field = "peakRssMiB" if "memory" in desc else "medianMs"
        text, m = fmt(ratio(num, den, field))
        met = "n/a" if m is None else ("yes" if (m >= target if higher else m <= target) else "**no**")
        lines.append(f"| {desc} | {text} | {'>=' if higher else '<='} {target}x | {met} |")
    for desc, num, den in INFO:
        field = "peakRssMiB" if "memory" in desc else "medianMs"
        text, m = fmt(ratio(num, den, field))
        if m is not None:
            lines.append(f"| {desc} | {text} | (for information) | |")
    table = "\n".join(lines)
    print(table)

    with open(a.performance_md) as f:
        doc = f.read()
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in doc and END in doc:
        doc = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + "\n\n## Side by side with PyTorch (`bench/compare.sh`)\n\n" + block + "\n"
    with open(a.performance_md, "w") as f:
        f.write(doc)
    print(f"\nwritten to {a.performance_md}")


if __name__ == "__main__":
    main()
