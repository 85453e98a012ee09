#!/usr/bin/env python3
"""Reads criterion's results (target/criterion/engine/*/*/new/estimates.json) and writes
docs/benchmarks.svg: a log-log plot of median time against pods, one line per operation.
Prints a Markdown table of the medians for BENCHMARKS.md.

Run after `cargo bench -p netpol --bench engine`."""
import json
import math
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
base = root / "target" / "criterion" / "engine"
if not base.is_dir():
    sys.exit("no criterion results: run `cargo bench -p netpol --bench engine` first")

series = {}
for op_dir in sorted(p for p in base.iterdir() if p.is_dir() and p.name != "report"):
    for size_dir in op_dir.iterdir():
        est = size_dir / "new" / "estimates.json"
        if not est.is_file() or not size_dir.name.isdigit():
            continue
        median_ns = json.loads(est.read_text())["median"]["point_estimate"]
        series.setdefault(op_dir.name, []).append((int(size_dir.name), median_ns))
for v in series.values():
    v.sort()


def fmt(ns):
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


sizes = sorted({s for v in series.values() for s, _ in v})
print("| operation | " + " | ".join(f"{s} pods" for s in sizes) + " |")
print("| --- | " + " | ".join("---" for _ in sizes) + " |")
for op, v in series.items():
    d = dict(v)
    print(f"| {op} | " + " | ".join(fmt(d[s]) if s in d else "-" for s in sizes) + " |")

# The plot.
W, H, L, R, T, B = 720, 440, 70, 170, 20, 50
xs = [math.log10(s) for s in sizes]
ys = [math.log10(t) for v in series.values() for _, t in v]
x0, x1 = min(xs), max(xs)
y0, y1 = math.floor(min(ys)), math.ceil(max(ys))
px = lambda x: L + (math.log10(x) - x0) / max(x1 - x0, 1e-9) * (W - L - R)
py = lambda y: T + (y1 - math.log10(y)) / max(y1 - y0, 1e-9) * (H - T - B)
colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>']
for e in range(y0, y1 + 1):
    y = py(10 ** e)
    label = fmt(10 ** e)
    out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#ddd"/>')
    out.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
for s in sizes:
    x = px(s)
    out.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="#eee"/>')
    out.append(f'<text x="{x:.1f}" y="{H - B + 16}" text-anchor="middle">{s}</text>')
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 10}" text-anchor="middle">pods (log scale)</text>')
for k, (op, v) in enumerate(series.items()):
    c = colors[k % len(colors)]
    pts = " ".join(f"{px(s):.1f},{py(t):.1f}" for s, t in v)
    out.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="2"/>')
    for s, t in v:
        out.append(f'<circle cx="{px(s):.1f}" cy="{py(t):.1f}" r="3" fill="{c}"/>')
    out.append(f'<text x="{W - R + 10}" y="{T + 18 * k + 10}" fill="{c}">{op}</text>')
out.append("</svg>")
(root / "docs" / "benchmarks.svg").write_text("\n".join(out) + "\n")
print("\nwrote docs/benchmarks.svg", file=sys.stderr)
