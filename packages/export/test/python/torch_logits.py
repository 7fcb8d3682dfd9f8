"""Loads an exported state dict into torchvision's or timm's EfficientNet with
load_state_dict(strict=True) and writes its eval-mode logits on a given input.

Usage: torch_logits.py <torchvision|timm> <architecture> <num_classes> <weights.safetensors>
                       <input.safetensors (tensor `images`, NCHW)> <out.safetensors>
Prints `loaded <n> tensors strict=True` and exits 1 on any mismatch (PyTorch's message)."""
import sys

import torch
from safetensors.torch import load_file, save_file

library, arch, num_classes, weights, images, out = sys.argv[1:]
if library == "torchvision":
    from torchvision.models import efficientnet as tv
    model = getattr(tv, arch)(num_classes=int(num_classes))
else:
    import timm
    model = timm.create_model(arch, pretrained=False, num_classes=int(num_classes))
state = load_file(weights)
model.load_state_dict(state, strict=True)
model.eval()
with torch.no_grad():
    logits = model(load_file(images)["images"])
save_file({"logits": logits.contiguous()}, out)
print(f"loaded {len(state)} tensors strict=True")
