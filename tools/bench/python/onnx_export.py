#!/usr/bin/env python3
"""Exports torchvision's efficientnet_b0 with the fixture's seeded weights to ONNX (opset 13,
batch 1, 224x224) for the onnxruntime-node benchmark, atomically (temp file + rename), and checks
that the traced graph reproduces PyTorch: the exported file's logits are checked by the benchmark
with onnxruntime-node against the PyTorch logits stored beside it.

    /usr/bin/python3 tools/bench/python/onnx_export.py --weights fixtures-full/efficientnet_b0.safetensors --out tmp/bench/efficientnet_b0.onnx

Needs Debian's python3-torch, python3-torchvision and python3-onnx."""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torchvision_b0 import load_b0  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default="fixtures-full/efficientnet_b0.safetensors")
    parser.add_argument("--out", default="tmp/bench/efficientnet_b0.onnx")
    args = parser.parse_args()
    if not os.path.exists(args.weights):
        sys.exit(f"onnx_export: {args.weights} is missing; run `npm run fixtures` first")
    import onnx  # Debian's python3-onnx; imported here so that a missing package is reported clearly

    model, images, _ = load_b0(args.weights)
    x = images[:1].contiguous()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, x, tmp, opset_version=13, input_names=["input"], output_names=["logits"], do_constant_folding=True)
        reference = model(x)
    onnx.checker.check_model(onnx.load(tmp))
    os.replace(tmp, args.out)
    # The first image and PyTorch's logits for it, for the onnxruntime-node check (raw float32).
    for name, tensor in (("input", x), ("logits", reference)):
        path = f"{args.out}.{name}.f32"
        with open(path + ".tmp", "wb") as f:
            f.write(tensor.contiguous().numpy().astype("<f4").tobytes())
        os.replace(path + ".tmp", path)
    print(f"onnx_export: wrote {args.out} (onnx {onnx.__version__}, torch {torch.__version__}); PyTorch logits max |x| {reference.abs().max().item():.4f}")


if __name__ == "__main__":
    main()
