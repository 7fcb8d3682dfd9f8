"""Checks ONNX files with the official checker (full check: with shape inference) and prints one
line per file: `ok <file> ir=<ir_version> opset=<opset>`, or exits 1 with the checker's message."""
import sys

import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    print(f"ok {path} ir={model.ir_version} opset={model.opset_import[0].version}")
