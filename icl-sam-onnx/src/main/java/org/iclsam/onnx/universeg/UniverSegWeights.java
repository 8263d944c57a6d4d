package org.iclsam.onnx.universeg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.iclsam.core.IclSamException;

/**
 * The parameters of UniverSeg v1 (the public {@code JJGO/UniverSeg} model, {@code encoder_blocks=[64]*4}),
 * mapped from a state dict and checked like PyTorch's strict {@code load_state_dict}: every expected key present
 * with its exact shape, no unexpected key.
 *
 * <p>Key names (width {@code nf}, 64 for v1):
 * <pre>
 * enc_blocks.{0..3}.cross.cross_conv.{weight,bias}      [nf, cin, 3, 3], [nf]; cin = 1 + 2 (block 0), nf + nf
 * enc_blocks.{0..3}.target.vmapped.conv.{weight,bias}   [nf, nf, 3, 3], [nf]
 * enc_blocks.{0..3}.support.vmapped.conv.{weight,bias}  [nf, nf, 3, 3], [nf]
 * dec_blocks.{0..2}.cross.cross_conv.{weight,bias}      [nf, 2nf + 2nf, 3, 3], [nf]
 * dec_blocks.{0..2}.target.vmapped.conv.{weight,bias}   [nf, nf, 3, 3], [nf]
 * dec_blocks.{0..2}.support.vmapped.conv.{weight,bias}  [nf, nf, 3, 3], [nf]
 * out_conv.conv.{weight,bias}                            [1, nf, 1, 1], [1]
 * </pre>
 * The cross convolution's input channels are the target's followed by the support's (target first).
 *
 * @param width the feature width nf
 * @param encoder the encoder blocks, outermost (128 px) first
 * @param decoder the decoder blocks, innermost (32 px) first
 * @param head the 1x1 output convolution
 */
record UniverSegWeights(int width, List<Block> encoder, List<Block> decoder, Conv head) {

    /** The width of the official v1 weights ({@code universeg_v1_nf64_ss64_STA.pt}). */
    static final int V1_WIDTH = 64;
    /** Encoder CrossBlocks of v1 (128, 64, 32, 16 px). */
    static final int ENCODER_BLOCKS = 4;
    /** Decoder CrossBlocks of v1 (32, 64, 128 px). */
    static final int DECODER_BLOCKS = 3;
    /** Channels of the target image. */
    static final int TARGET_IN = 1;
    /** Channels of a support example (image and label). */
    static final int SUPPORT_IN = 2;
    /** Kernel size of the cross and per-item convolutions. */
    static final int KERNEL = 3;

    /** The key whose first dimension gives the width. */
    static final String WIDTH_KEY = "enc_blocks.0.cross.cross_conv.weight";

    /**
     * A 2-D convolution's parameters, PyTorch layout.
     *
     * @param weight {@code out x in x k x k} values, row-major
     * @param bias {@code out} values
     * @param out output channels
     * @param in input channels
     * @param kernel kernel side
     */
    record Conv(float[] weight, float[] bias, int out, int in, int kernel) {
        Conv {
            if (weight.length != out * in * kernel * kernel || bias.length != out) {
                throw new IllegalArgumentException("conv parameters do not match " + out + "x" + in + "x" + kernel);
            }
        }
    }

    /**
     * One CrossBlock: the cross convolution (input channels target first, then support), then the per-item
     * convolutions of target and support.
     *
     * @param cross the cross convolution
     * @param targetIn how many of {@code cross.in()} channels are the target's
     * @param target the target's convolution
     * @param support the support's convolution
     */
    record Block(Conv cross, int targetIn, Conv target, Conv support) {
    }

    /**
     * @param width the width nf
     * @return every key of v1 at that width with its expected shape, in the official order
     */
    static Map<String, int[]> expectedShapes(int width) {
        Map<String, int[]> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ENCODER_BLOCKS; i++) {
            int cin = i == 0 ? TARGET_IN + SUPPORT_IN : 2 * width;
            blockShapes(m, "enc_blocks." + i, cin, width);
        }
        for (int i = 0; i < DECODER_BLOCKS; i++) {
            blockShapes(m, "dec_blocks." + i, 4 * width, width);
        }
        m.put("out_conv.conv.weight", new int[] {1, width, 1, 1});
        m.put("out_conv.conv.bias", new int[] {1});
        return m;
    }

    private static void blockShapes(Map<String, int[]> m, String prefix, int cin, int width) {
        m.put(prefix + ".cross.cross_conv.weight", new int[] {width, cin, KERNEL, KERNEL});
        m.put(prefix + ".cross.cross_conv.bias", new int[] {width});
        for (String side : new String[] {"target", "support"}) {
            m.put(prefix + "." + side + ".vmapped.conv.weight", new int[] {width, width, KERNEL, KERNEL});
            m.put(prefix + "." + side + ".vmapped.conv.bias", new int[] {width});
        }
    }

    /**
     * Maps a state dict to the v1 architecture.
     *
     * @param tensors the state dict
     * @param expectedWidth the required width (64 for the official weights), or 0 to accept the width the
     *     checkpoint has (tests use small widths)
     * @param source the file name, for messages
     * @return the weights
     * @throws IclSamException ({@code MODEL_INVALID}) naming every missing, mis-shaped and unexpected key, or the
     *     width when it is not the expected one
     */
    static UniverSegWeights fromStateDict(Map<String, CheckpointTensor> tensors, int expectedWidth, String source) {
        Objects.requireNonNull(tensors, "tensors");
        CheckpointTensor first = tensors.get(WIDTH_KEY);
        if (first == null || first.shape().length != 4) {
            throw invalid(source, "it has no 4-D '" + WIDTH_KEY + "'" + (first == null ? "" : " (found "
                    + first.shapeString() + ")") + ", so it is not a UniverSeg v1 state dict. "
                    + describeKeys(tensors));
        }
        int width = first.shape()[0];
        if (expectedWidth > 0 && width != expectedWidth) {
            throw invalid(source, "it has width " + width + " (" + WIDTH_KEY + " is " + first.shapeString()
                    + ") but UniverSeg v1 (universeg_v1_nf64_ss64_STA.pt) has width " + expectedWidth);
        }
        Map<String, int[]> expected = expectedShapes(width);
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            CheckpointTensor t = tensors.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                misShaped.add(e.getKey() + " is " + t.shapeString() + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        Set<String> unexpected = new LinkedHashSet<>(tensors.keySet());
        unexpected.removeAll(expected.keySet());
        if (!missing.isEmpty() || !misShaped.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder sb = new StringBuilder("it does not match UniverSeg v1 at width " + width + ":");
            if (!missing.isEmpty()) {
                sb.append(" missing keys ").append(missing).append(';');
            }
            if (!misShaped.isEmpty()) {
                sb.append(" mis-shaped keys ").append(misShaped).append(';');
            }
            if (!unexpected.isEmpty()) {
                sb.append(" unexpected keys ").append(unexpected).append(';');
            }
            sb.append(" (another architecture or version of UniverSeg?)");
            throw invalid(source, sb.toString());
        }
        List<Block> enc = new ArrayList<>();
        for (int i = 0; i < ENCODER_BLOCKS; i++) {
            enc.add(block(tensors, "enc_blocks." + i, i == 0 ? TARGET_IN : width));
        }
        List<Block> dec = new ArrayList<>();
        for (int i = 0; i < DECODER_BLOCKS; i++) {
            dec.add(block(tensors, "dec_blocks." + i, 2 * width));
        }
        return new UniverSegWeights(width, List.copyOf(enc), List.copyOf(dec), conv(tensors, "out_conv.conv"));
    }

    private static Block block(Map<String, CheckpointTensor> t, String prefix, int targetIn) {
        return new Block(conv(t, prefix + ".cross.cross_conv"), targetIn, conv(t, prefix + ".target.vmapped.conv"),
                conv(t, prefix + ".support.vmapped.conv"));
    }

    private static Conv conv(Map<String, CheckpointTensor> t, String prefix) {
        CheckpointTensor w = t.get(prefix + ".weight");
        CheckpointTensor b = t.get(prefix + ".bias");
        int[] s = w.shape();
        return new Conv(w.data(), b.data(), s[0], s[1], s[2]);
    }

    private static String describeKeys(Map<String, CheckpointTensor> tensors) {
        List<String> keys = new ArrayList<>(tensors.keySet());
        String shown = keys.size() > 8 ? keys.subList(0, 8) + " ... (" + keys.size() + " keys)" : keys.toString();
        return "Its keys: " + shown;
    }

    /** @return the number of parameters */
    long parameterCount() {
        long n = head.weight().length + head.bias().length;
        for (List<Block> blocks : List.of(encoder, decoder)) {
            for (Block b : blocks) {
                for (Conv c : List.of(b.cross(), b.target(), b.support())) {
                    n += c.weight().length + c.bias().length;
                }
            }
        }
        return n;
    }

    private static IclSamException invalid(String source, String what) {
        return new IclSamException(IclSamException.Code.MODEL_INVALID, "checkpoint " + source + " is not UniverSeg"
                + " v1: " + what);
    }
}
