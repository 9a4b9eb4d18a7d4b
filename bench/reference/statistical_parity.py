#!/usr/bin/env python3
"""The statistical parity table (issue 12, part 3) from the runs that exist, into docs/FIDELITY.md.

    /usr/bin/python3 bench/reference/statistical_parity.py ROOT SEEDS

PyTorch side: ROOT/results/fidelity/pytorch-OPERATOR-seedS.jsonl (bench/statistical-parity.sh).
Java side: the records in ROOT/results/trials/ whose settings are the main job's recipe with that
operator (what `spherenet experiment operators` trains). The table replaces the block between the
two statistical-parity markers of docs/FIDELITY.md; the rest of the file is left as it is.
"""
import glob
import json
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity  # noqa: E402  (the recipe's settings, shared with the lock-step check)
import train_reference  # noqa: E402

NETWORKS = (("linear", "SphereNet-9 (linear SphereConv, the main job)"), ("conv", "CNN-9 (its twin)"))
THRESHOLDS = (0.85, 0.90, 0.92)
BEGIN, END = "<!-- statistical-parity:begin -->", "<!-- statistical-parity:end -->"
# two-sided 95 % Student t quantiles by degrees of freedom; a fractional (Welch) df is rounded down,
# which widens the interval (conservative)
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
        10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042}


def t975(df):
    return T975[max(k for k in T975 if k <= max(1, math.floor(df)))]


def recipe(operator):
    """The settings both sides train with: the main job's, with this operator."""
    return parity.full_config(dict(train_reference.DEFAULTS, operator=operator, evalEvery=200))


def same_settings(config, wanted):
    for key, value in wanted.items():
        if key in config and config[key] != value and not (
                isinstance(value, (int, float)) and isinstance(config[key], (int, float))
                and math.isclose(config[key], value)):
            return False
    return config.get("dataset") == "fashion-mnist" and config.get("dataFraction", 1.0) == 1.0


def java_runs(root, operator, seeds):
    """seed -> [(iteration, test accuracy)] from the trial records of this recipe."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(root, "results", "trials", "*.json"))):
        record = json.load(open(path))
        config = record["config"]
        if record["seed"] <= seeds and same_settings(config, recipe(operator)) \
                and record["iterations"] == config["iterations"]:
            runs[record["seed"]] = [(row[0], row[2]) for row in record["curve"]]
    return runs


def pytorch_runs(root, operator, seeds):
    runs = {}
    for seed in range(1, seeds + 1):
        path = os.path.join(root, "results", "fidelity", f"pytorch-{operator}-seed{seed}.jsonl")
        if os.path.exists(path):
            rows = [json.loads(line) for line in open(path) if line.startswith("{")]
            if rows and rows[-1]["iteration"] == recipe(operator)["iterations"]:
                runs[seed] = [(r["iteration"], r["testAccuracy"]) for r in rows]
    return runs


def reached(curve, threshold):
    return next((it for it, acc in curve if acc >= threshold), None)


def mean_sd(values):
    if not values:
        return "—"
    mean = statistics.mean(values)
    return f"{mean:.2f}" if len(values) < 2 else f"{mean:.2f} ± {statistics.stdev(values):.2f}"


def iterations(curves, threshold):
    hits = [reached(c, threshold) for c in curves.values()]
    every = "/".join("never" if h is None else str(h) for h in hits)
    done = [h for h in hits if h is not None]
    return f"{statistics.mean(done):.0f} ({every})" if done else every or "—"


def difference(a, b, paired):
    """mean(a) - mean(b) with its 95 % t interval (paired by seed, else Welch); None below 2 a side."""
    if paired:
        seeds = sorted(set(a) & set(b))
        if len(seeds) < 2:
            return None
        d = [a[s] - b[s] for s in seeds]
        mean, half = statistics.mean(d), t975(len(d) - 1) * statistics.stdev(d) / math.sqrt(len(d))
    else:
        x, y = list(a.values()), list(b.values())
        if len(x) < 2 or len(y) < 2:
            return None
        vx, vy = statistics.variance(x) / len(x), statistics.variance(y) / len(y)
        df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1)) if vx + vy > 0 else 1
        mean, half = statistics.mean(x) - statistics.mean(y), t975(df) * math.sqrt(vx + vy)
    return f"{mean:+.2f} [{mean - half:+.2f}, {mean + half:+.2f}]"


def table(root, seeds):
    sides = {"Java (this project)": java_runs, "PyTorch (bench/reference)": pytorch_runs}
    finals = {}
    lines = ["| network | implementation | seeds | final test % (mean ± sd) | every seed | "
             + " | ".join(f"iterations to {t:.0%} (mean; each seed)" for t in THRESHOLDS) + " |",
             "|---|---|---|---|---|" + "---|" * len(THRESHOLDS)]
    for operator, network in NETWORKS:
        for side, read in sides.items():
            curves = read(root, operator, seeds)
            final = {s: 100 * c[-1][1] for s, c in sorted(curves.items())}
            finals[operator, side] = final
            lines.append(f"| {network} | {side} | {len(final)} of {seeds} | {mean_sd(list(final.values()))} | "
                         + (", ".join(f"{v:.2f}" for v in final.values()) or "—") + " | "
                         + " | ".join(iterations(curves, t) for t in THRESHOLDS) + " |")
    java, torch = sides
    lines += ["", "| comparison | difference, points [95 % interval] | within one sd of the reference's mean |",
              "|---|---|---|"]
    for operator, network in NETWORKS:
        ours, ref = finals[operator, java], finals[operator, torch]
        within = "—"
        if ours and len(ref) >= 2:
            gap = abs(statistics.mean(ours.values()) - statistics.mean(ref.values()))
            within = "yes" if gap <= statistics.stdev(ref.values()) else "no"
        lines.append(f"| {network.split(' (')[0]}: Java minus PyTorch (Welch) | "
                     f"{difference(ours, ref, False) or 'needs 2 seeds a side'} | {within} |")
    for side in sides:
        lines.append(f"| SphereNet-9 minus CNN-9, {side.split(' (')[0]} (paired by seed) | "
                     f"{difference(finals['linear', side], finals['conv', side], True) or 'needs 2 seeds'} | |")
    return "\n".join(lines)


def main():
    root, seeds = sys.argv[1], int(sys.argv[2])
    text = table(root, seeds)
    print(text)
    path = os.path.join(root, "docs", "FIDELITY.md")
    doc = open(path).read()
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        updated = head + BEGIN + "\n" + text + "\n" + END + rest.split(END, 1)[1]
        with open(path + ".tmp", "w") as f:  # atomic: the document is never half written
            f.write(updated)
        os.replace(path + ".tmp", path)
        print(f"statistical_parity.py: table written into {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
