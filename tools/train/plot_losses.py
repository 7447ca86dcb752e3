#!/usr/bin/env python3
"""Plot the training losses of the stages as one SVG (no plotting library needed).

    /usr/bin/python3 tools/train/plot_losses.py tools/train/runs/stage0 tools/train/runs/stage1 \
        --out out/losses.svg

Each run folder's losses.csv gets a panel: the training loss per step (a moving average over
--smooth steps, thin) and the held-out value at each checkpoint (dots): heldout_psnr for the
autoencoder (stage 0, in dB, its own axis on the right), heldout_loss for the transformer stages.
"""
import argparse
import csv
import os


def read(run):
    with open(os.path.join(run, "losses.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    steps = [int(r["step"]) for r in rows]
    loss = [float(r["loss"]) for r in rows]
    key = "heldout_psnr" if "heldout_psnr" in rows[0] else "heldout_loss"
    held = [(int(r["step"]), float(r[key])) for r in rows if r.get(key)]
    return steps, loss, key, held


def smooth(values, n):
    out, acc = [], 0.0
    for i, v in enumerate(values):
        acc += v
        if i >= n:
            acc -= values[i - n]
        out.append(acc / min(i + 1, n))
    return out


def polyline(points, colour, width=1.5):
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline fill="none" stroke="{colour}" stroke-width="{width}" points="{pts}"/>'


def panel(run, top, w, h, n):
    steps, loss, key, held = read(run)
    avg = smooth(loss, n)
    x0, x1, y0, y1 = 60, w - 60, top + 30, top + h - 30
    smax = max(steps)
    lo, hi = min(avg), max(avg)
    hi = hi if hi > lo else lo + 1

    def sx(s):
        return x0 + (x1 - x0) * s / smax

    def sy(v, a=lo, b=hi):
        return y1 - (y1 - y0) * (v - a) / (b - a)

    parts = [f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" stroke="#999"/>',
             f'<text x="{x0}" y="{top + 20}" font-size="14">{os.path.basename(os.path.normpath(run))}: '
             f'training loss (mean of {n} steps, blue) and {key} (orange), {smax} steps</text>',
             polyline([(sx(s), sy(v)) for s, v in zip(steps, avg)], "#1f77b4")]
    for v in (lo, (lo + hi) / 2, hi):
        parts.append(f'<text x="{x0 - 5}" y="{sy(v) + 4:.1f}" font-size="11" text-anchor="end">{v:.3f}</text>')
    parts.append(f'<text x="{x1}" y="{y1 + 16}" font-size="11" text-anchor="end">step {smax}</text>')
    if held:
        vals = [v for _, v in held]
        a, b = min(vals), max(vals)
        b = b if b > a else a + 1
        parts.append(polyline([(sx(s), sy(v, a, b)) for s, v in held], "#ff7f0e", 1))
        for s, v in held:
            parts.append(f'<circle cx="{sx(s):.1f}" cy="{sy(v, a, b):.1f}" r="2.5" fill="#ff7f0e"/>')
        for v in (a, b):
            parts.append(f'<text x="{x1 + 5}" y="{sy(v, a, b) + 4:.1f}" font-size="11" fill="#ff7f0e">{v:.2f}</text>')
    return parts


def main():
    p = argparse.ArgumentParser()
    p.add_argument("runs", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--smooth", type=int, default=25)
    a = p.parse_args()
    w, h = 800, 220
    body = []
    for i, run in enumerate(a.runs):
        body += panel(run, i * h, w, h, a.smooth)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h * len(a.runs)}" '
           f'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'
           + "".join(body) + "</svg>\n")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(svg)
    print(f"wrote {a.out} ({len(a.runs)} panels)")


if __name__ == "__main__":
    main()
