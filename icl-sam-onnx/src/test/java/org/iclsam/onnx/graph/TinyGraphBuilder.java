package org.iclsam.onnx.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** A minimal ONNX graph builder for tests: every method adds nodes and returns the name of its output. */
final class TinyGraphBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny");
    private int counter;

    String input(String name, long... dims) {
        graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims));
        return name;
    }

    void output(String name, int elemType) {
        graph.addOutput(valueInfo(name, elemType, null));
    }

    String floats(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        graph.addInitializer(t);
        return name;
    }

    String longs(long[] values, boolean scalar) {
        String name = "const_" + (counter++);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        if (!scalar) {
            t.addDims(values.length);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node; its output is named {@code nodeName + "_out"}. */
    String op(String op, String nodeName, String... inputs) {
        return op(op, nodeName, new AttributeProto[0], inputs);
    }

    String op(String op, String nodeName, AttributeProto[] attributes, String... inputs) {
        String out = nodeName + "_out";
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(nodeName).addOutput(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    /** Renames the output of the last added node (for graph outputs with fixed names). */
    String renameLastOutput(String name) {
        int last = graph.getNodeCount() - 1;
        String old = graph.getNode(last).getOutput(0);
        graph.setNode(last, graph.getNode(last).toBuilder().setOutput(0, name));
        return name.isEmpty() ? old : name;
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    ModelProto build(long opset) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("iclsam-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    static ValueInfoProto valueInfo(String name, int elemType, long[] dims) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(elemType);
        if (dims != null) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (long d : dims) {
                s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("n" + (-d))
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    /** @return a copy of the model with extra graph outputs (float tensors, no shape) for the named tensors */
    static ModelProto withExtraOutputs(ModelProto model, String... tensors) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (String t : tensors) {
            g.addOutput(valueInfo(t, TensorProto.DataType.FLOAT_VALUE, null));
        }
        return model.toBuilder().setGraph(g).build();
    }
}
