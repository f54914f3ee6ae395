#!/usr/bin/python3
"""Converts a float32 ONNX model to float16 weights and activations, keeping float32 inputs and outputs.

Every float32 initializer and Constant becomes float16; each float32 graph input is cast to float16 where it enters,
and each float32 graph output is cast back to float32 where it leaves. So the model keeps its contract (a host feeds
and reads float32, e.g. the wav2lip-96 contract), while a GPU runs it in half precision with half the weight memory.
(ONNX Runtime's CPU provider runs such a model too: it inserts float32 casts around the operators it has no float16
kernel for, so the result can be checked on any machine.)

Usage: /usr/bin/python3 onnx-models/tools/onnx_fp16.py IN.onnx OUT.onnx
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_deps  # noqa: E402

python_deps.require("numpy", "onnx")

import numpy as np  # noqa: E402
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
FLOAT16 = TensorProto.FLOAT16


def _half(tensor):
    """A float32 TensorProto as float16 (same name); others unchanged. Values beyond float16's range are clipped."""
    if tensor.data_type != FLOAT:
        return tensor
    array = numpy_helper.to_array(tensor)
    limit = np.finfo(np.float16).max
    return numpy_helper.from_array(np.clip(array, -limit, limit).astype(np.float16), tensor.name)


def to_fp16(model):
    """Returns a float16 copy of a float32 ModelProto whose float32 inputs and outputs stay float32."""
    graph = model.graph
    converted = helper.make_model(
        helper.make_graph([], graph.name, [], [], initializer=[_half(t) for t in graph.initializer]),
        opset_imports=model.opset_import, producer_name=model.producer_name)
    converted.ir_version = model.ir_version
    converted.doc_string = (model.doc_string + " " if model.doc_string else "") + "(float16 weights and activations; float32 inputs and outputs)"
    out = converted.graph

    renames = {}
    for value in graph.input:
        out.input.append(value)
        if value.type.tensor_type.elem_type == FLOAT:
            renames[value.name] = value.name + "_fp16"
            out.node.append(helper.make_node("Cast", [value.name], [renames[value.name]], to=FLOAT16, name="cast_in_" + value.name))
    outputs = {value.name for value in graph.output if value.type.tensor_type.elem_type == FLOAT}
    for node in graph.node:
        copy = onnx.NodeProto()
        copy.CopyFrom(node)
        for i, name in enumerate(copy.input):
            copy.input[i] = renames.get(name, name)
        for i, name in enumerate(copy.output):
            if name in outputs:
                copy.output[i] = name + "_fp16"
        for attribute in copy.attribute:
            if attribute.type == onnx.AttributeProto.TENSOR:
                attribute.t.CopyFrom(_half(attribute.t))
            if copy.op_type == "Cast" and attribute.name == "to" and attribute.i == FLOAT:
                attribute.i = FLOAT16
        out.node.append(copy)
    for value in graph.output:
        out.output.append(value)
        if value.name in outputs:
            out.node.append(helper.make_node("Cast", [value.name + "_fp16"], [value.name], to=FLOAT, name="cast_out_" + value.name))
    onnx.checker.check_model(converted)
    return converted


def main(argv):
    if len(argv) != 2 or argv[0].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    onnx.save(to_fp16(onnx.load(argv[0])), argv[1])
    print("wrote %s (%.1f MB, float16)" % (argv[1], os.path.getsize(argv[1]) / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
