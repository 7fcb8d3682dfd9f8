#!/usr/bin/env python3
"""Saves a pretrained torchvision or timm EfficientNet's state dict as safetensors for `effnet import`.

The weights are your own download: torchvision and timm fetch them on first use (or read them from
their caches). Nothing here changes the tensors; `effnet import` maps the names and layouts.
  python tools/scripts/save_pretrained.py torchvision efficientnet_b0 IMAGENET1K_V1 b0.safetensors
  python tools/scripts/save_pretrained.py timm tf_efficientnetv2_s.in21k_ft_in1k v2s.safetensors
  python tools/scripts/save_pretrained.py torchvision efficientnet_b0 none b0-random.safetensors  (no download)
Keras needs no conversion: `model.save_weights("b0.weights.h5")` and `effnet import --from keras`.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from fixture_files import write_safetensors  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="library", required=True)
    tv = sub.add_parser("torchvision", help="a torchvision builder and weights enum name")
    tv.add_argument("model", help="e.g. efficientnet_b0, efficientnet_v2_s")
    tv.add_argument("weights", help="e.g. IMAGENET1K_V1, DEFAULT, or none (random, no download)")
    tv.add_argument("out", help="the .safetensors file to write")
    tm = sub.add_parser("timm", help="a timm model name (with its pretrained tag)")
    tm.add_argument("model", help="e.g. efficientnet_b0.ra_in1k, tf_efficientnet_b3.in1k")
    tm.add_argument("out", help="the .safetensors file to write")
    tm.add_argument("--random", action="store_true", help="random weights (no download)")
    args = parser.parse_args()
    if args.library == "torchvision":
        import torchvision

        model = torchvision.models.get_model(args.model, weights=None if args.weights.lower() == "none" else args.weights)
    else:
        import timm

        model = timm.create_model(args.model, pretrained=not args.random)
    tensors = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    count = write_safetensors(args.out, tensors)
    print(f"{args.out}: {count} tensors of {args.library} {args.model}; next: effnet import {args.out} --preset <effnet preset> --out <folder>")


if __name__ == "__main__":
    main()
