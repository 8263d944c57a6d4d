package org.iclsam.benchmarks.soak;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.iclsam.core.Image;
import org.iclsam.core.SupportExample;
import org.iclsam.morphology.BinaryMask;

/**
 * The command line's bundled demo sample (nine real 512 x 512 brain MRI slices with expert masks, CC BY 4.0, on
 * the class path through icl-sam-examples), reduced to small images by block averaging.
 */
final class DemoSample {
    private static final String ROOT = "/org/iclsam/examples/demo/";
    private static final int SOURCE_SIDE = 512;

    private DemoSample() {
    }

    /**
     * @param side the side of the reduced images; divides 512
     * @return every image of the sample with its label, in the order of its index (supports first, then queries)
     */
    static List<SupportExample> load(int side) {
        if (side <= 0 || SOURCE_SIDE % side != 0) {
            throw new IllegalArgumentException("image side must divide " + SOURCE_SIDE + ", got " + side);
        }
        List<String> ids = new ArrayList<>();
        try (InputStream in = open("index.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && !line.startsWith("#")) {
                    ids.add(f[1]);
                }
            }
            List<SupportExample> out = new ArrayList<>();
            for (String id : ids) {
                out.add(new SupportExample(id, image(read("images/" + id), side), label(read("labels/" + id), side)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo sample from the class path", e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = DemoSample.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IllegalStateException("the demo sample " + ROOT + name + " is not on the class path"
                    + " (it comes with icl-sam-examples)");
        }
        return in;
    }

    private static Raster read(String name) throws IOException {
        try (InputStream in = open(name)) {
            BufferedImage bi = ImageIO.read(in);
            if (bi == null || bi.getWidth() != SOURCE_SIDE || bi.getHeight() != SOURCE_SIDE) {
                throw new IOException(name + " is not a " + SOURCE_SIDE + " x " + SOURCE_SIDE + " image");
            }
            return bi.getRaster();
        }
    }

    private static Image image(Raster r, int side) {
        int f = SOURCE_SIDE / side;
        float[] px = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float s = 0;
                for (int dy = 0; dy < f; dy++) {
                    for (int dx = 0; dx < f; dx++) {
                        s += r.getSample(x * f + dx, y * f + dy, 0);
                    }
                }
                px[y * side + x] = s / (f * f);
            }
        }
        return Image.grey(side, side, px);
    }

    /** A reduced pixel is foreground when at least half of its block is. */
    private static BinaryMask label(Raster r, int side) {
        int f = SOURCE_SIDE / side;
        byte[] m = new byte[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int n = 0;
                for (int dy = 0; dy < f; dy++) {
                    for (int dx = 0; dx < f; dx++) {
                        n += r.getSample(x * f + dx, y * f + dy, 0) > 0 ? 1 : 0;
                    }
                }
                m[y * side + x] = (byte) (2 * n >= f * f ? 1 : 0);
            }
        }
        return BinaryMask.of(side, side, m);
    }
}
