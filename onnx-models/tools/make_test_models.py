#!/usr/bin/python3
"""Writes tiny TEST FIXTURE models with the LiveHost model contracts into tests/LiveHost.Inference.Tests/Fixtures/.

They are not trained and draw nothing useful: they only let the C# tests load real ONNX files, batch them and check
that batching never mixes rooms. Run with /usr/bin/python3 (onnx 1.12's helper API, numpy):

    /usr/bin/python3 onnx-models/tools/make_test_models.py [OUT_DIR]

test_wav2lip.onnx   mel [B,1,80,16], face [B,6,96,96] -> output [B,3,96,96]
                    output = clip(reference RGB (face channels 3..5) with mouth rows 60..83 scaled by
                    0.5 + sigmoid(mean(mel)), 0, 1): depends on both inputs, per batch item.
test_viseme.onnx    mel [B,1,80,16] -> logits [B,15] = flatten(mel) @ W + b, W and b fixed (seed 15).
test_wav2lip_bad_shape.onnx  like test_wav2lip but face is [B,6,128,128]: the host must refuse it.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_deps  # noqa: E402

python_deps.require("numpy", "onnx")

import numpy as np  # noqa: E402
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 7  # readable by any onnxruntime >= 1.6


def _model(graph, doc):
    model = helper.make_model(graph, producer_name="LiveHost make_test_models.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    model.doc_string = "TEST FIXTURE, not a real model: " + doc
    onnx.checker.check_model(model)
    return model


def wav2lip_like(face_size=96):
    mel = helper.make_tensor_value_info("mel", TensorProto.FLOAT, ["B", 1, 80, 16])
    face = helper.make_tensor_value_info("face", TensorProto.FLOAT, ["B", 6, face_size, face_size])
    out = helper.make_tensor_value_info("output", TensorProto.FLOAT, ["B", 3, face_size, face_size])
    mask = np.zeros((1, 1, face_size, 1), dtype=np.float32)
    mask[0, 0, 60:84, 0] = 1.0
    inits = [
        numpy_helper.from_array(np.array([3], dtype=np.int64), "start"),
        numpy_helper.from_array(np.array([6], dtype=np.int64), "end"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis"),
        numpy_helper.from_array(mask, "mouth_mask"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    nodes = [
        helper.make_node("Slice", ["face", "start", "end", "axis"], ["reference"]),
        helper.make_node("ReduceMean", ["mel"], ["energy"], axes=[1, 2, 3], keepdims=1),
        helper.make_node("Sigmoid", ["energy"], ["gate"]),
        helper.make_node("Add", ["gate", "half"], ["scale"]),            # 0.5 .. 1.5
        helper.make_node("Sub", ["scale", "one"], ["scale_minus_one"]),
        helper.make_node("Mul", ["mouth_mask", "scale_minus_one"], ["delta"]),  # [B,1,96,1]
        helper.make_node("Add", ["delta", "one"], ["factor"]),
        helper.make_node("Mul", ["reference", "factor"], ["scaled"]),
        helper.make_node("Clip", ["scaled", "zero", "one"], ["output"]),
    ]
    graph = helper.make_graph(nodes, "test_wav2lip", [mel, face], [out], initializer=inits)
    return _model(graph, "Wav2Lip contract; output = reference face with mouth rows scaled by mel energy")


def viseme_like():
    rng = np.random.default_rng(15)
    w = (rng.standard_normal((80 * 16, 15)) * 0.05).astype(np.float32)
    b = np.linspace(-0.5, 0.5, 15).astype(np.float32)
    mel = helper.make_tensor_value_info("mel", TensorProto.FLOAT, ["B", 1, 80, 16])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", 15])
    inits = [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")]
    nodes = [
        helper.make_node("Flatten", ["mel"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "W"], ["mm"]),
        helper.make_node("Add", ["mm", "b"], ["logits"]),
    ]
    graph = helper.make_graph(nodes, "test_viseme", [mel], [logits], initializer=inits)
    return _model(graph, "viseme contract; logits = flatten(mel) @ W + b with fixed random W")


def main(argv):
    if len(argv) > 1 and argv[1].startswith("-"):
        # Not an output folder: --help (or a mistyped option) must not write fixtures into a folder named after it.
        sys.stdout.write(__doc__)
        return 0 if argv[1] in ("-h", "--help") else 2
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = argv[1] if len(argv) > 1 else os.path.join(
        here, "..", "..", "tests", "LiveHost.Inference.Tests", "Fixtures")
    os.makedirs(out_dir, exist_ok=True)
    for name, model in [("test_wav2lip.onnx", wav2lip_like()),
                        ("test_viseme.onnx", viseme_like()),
                        ("test_wav2lip_bad_shape.onnx", wav2lip_like(face_size=128))]:
        path = os.path.join(out_dir, name)
        onnx.save(model, path)
        print("wrote %s (%d bytes)" % (os.path.normpath(path), os.path.getsize(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
