"""Shared by the benchmark scripts: torchvision's efficientnet_b0 with the seeded weights of the
full-size fixture (fixtures-full/efficientnet_b0.safetensors, written by `npm run fixtures`), so
that PyTorch, onnxruntime-node and effnet all run the same network with the same weights. The
`standalone` builder is the same network written with torch.nn alone (standalone_b0.py), for a
PyTorch whose torchvision cannot load."""
import json
import struct

import torch


def read_safetensors(path):
    """Reads an F32 safetensors file into a dict of tensors (the format's 8-byte header size, JSON header, raw data)."""
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}; only F32 is written by the fixture script")
        start, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32).reshape(entry["shape"])
    return tensors


BUILDERS = ("torchvision", "standalone")


def load_b0(path, builder="torchvision"):
    """efficientnet_b0 in eval mode with the fixture's state dict; returns (model, input NCHW, torchvision's logits)."""
    tensors = read_safetensors(path)
    if builder == "torchvision":
        from torchvision.models import efficientnet_b0
        model = efficientnet_b0(weights=None)
    elif builder == "standalone":
        from standalone_b0 import EfficientNetB0
        model = EfficientNetB0()
    else:
        raise ValueError(f"unknown builder {builder!r}; known: {', '.join(BUILDERS)}")
    state = {k: v for k, v in tensors.items() if k not in ("input", "logits") and not k.startswith("feature.")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{path}: state dict does not fit efficientnet_b0 (missing {missing[:5]}, unexpected {unexpected[:5]})")
    model.eval()
    return model, tensors["input"], tensors["logits"]
