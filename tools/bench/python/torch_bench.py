#!/usr/bin/env python3
"""PyTorch CPU side of `npm run bench`: median latency of torchvision's efficientnet_b0 (the
fixture's seeded weights) at 224, batch 1, eval mode; and the median of one SGD training step
at 128, batch 16 (train mode, cross-entropy, torchvision's dropout and stochastic depth).
Prints one JSON object. The thread count is set with torch.set_num_threads; the BLAS in use and
a 1024^3 matmul's GFLOP/s are reported (Debian's torch is fast only with OpenBLAS selected, see
docs/benchmarks.md).

    /usr/bin/python3 tools/bench/python/torch_bench.py --threads 1 --runs 20 --train-runs 5

With --serve it prints one JSON line (versions, BLAS, the fixture check) and then answers each
line on stdin, `infer` or `train`, with one JSON line {"ms": ...} timing one call, so that
`npm run bench` can interleave PyTorch with the other runtimes under the same machine load."""
import argparse
import json
import os
import re
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torchvision_b0 import BUILDERS, load_b0  # noqa: E402


def timed(fn, runs, warmups):
    for _ in range(warmups):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def blas():
    """Which BLAS libtorch's process mapped, and the single-call 1024^3 matmul rate."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            if "blas" in line:
                libs.add(os.path.realpath(line.split()[-1]))
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    times = timed(lambda: a @ b, 5, 2)
    return sorted(libs), 2 * 1024**3 / (statistics.median(times) / 1000) / 1e9


def build_blas():
    """The BLAS torch was built with (BLAS_INFO of torch.__config__.show(): 'mkl' for PyPI's wheels, linked in statically)."""
    found = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return found.group(1) if found else "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default="fixtures-full/efficientnet_b0.safetensors")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--train-runs", type=int, default=5)
    parser.add_argument("--builder", choices=BUILDERS, default="torchvision",
                        help="torchvision's efficientnet_b0, or the same network in torch.nn alone (standalone_b0.py)")
    parser.add_argument("--serve", action="store_true", help="answer `infer` / `train` lines on stdin")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    libs, gflops = blas()

    model, images, logits = load_b0(args.weights, args.builder)
    x = images[:1].contiguous()
    with torch.no_grad():
        check = (model(images) - logits).abs().max().item()
        infer = timed(lambda: model(x), args.runs, args.warmups)

    model.train()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    batch = torch.randn(16, 3, 128, 128, generator=torch.Generator().manual_seed(1))
    labels = torch.arange(16) % 1000

    def step():
        optimiser.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(batch), labels)
        loss.backward()
        optimiser.step()

    if args.serve:
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": libs, "matmulGflops": round(gflops, 1),
                          "fixtureMaxAbsDiff": check, "builder": args.builder, "buildBlas": build_blas()}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "infer":
                model.eval()
                with torch.no_grad():
                    ms = timed(lambda: model(x), 1, 0)[0]
            elif command == "train":
                model.train()
                ms = timed(step, 1, 0)[0]
            else:
                print(json.dumps({"error": f"unknown command {command!r}; known: infer, train"}), flush=True)
                continue
            print(json.dumps({"ms": ms}), flush=True)
        return

    train = timed(step, args.train_runs, 1)
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": libs, "matmulGflops": round(gflops, 1),
        "fixtureMaxAbsDiff": check, "builder": args.builder, "buildBlas": build_blas(),
        "inferenceMs": infer, "inferenceMedianMs": statistics.median(infer),
        "trainStepMs": train, "trainStepMedianMs": statistics.median(train),
    }))


if __name__ == "__main__":
    main()
