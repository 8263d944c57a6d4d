package org.iclsam.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iclsam.core.testing.DeterminismProbe;
import org.iclsam.core.IclSam;
import org.iclsam.core.Image;
import org.iclsam.core.PreparedSupport;
import org.iclsam.core.Segmentation;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.morphology.BinaryMask;

/**
 * The small real case of {@link DefaultPipelineDeterminismTest}: the default pipeline (real ONNX encoder and
 * decoder, training-free model, reference logistic regression) with two real brain MRI slices as support and two
 * as queries. {@link #main} prints the digest of one run, for the test's run in another JVM.
 */
public final class DefaultPipelineProbe {
    /** Support images of brain-tumour-t1ce. */
    static final List<String> SUPPORT = List.of("1014.png", "1017.png");
    /** Query images of brain-tumour-t1ce. */
    static final List<String> QUERIES = List.of("1015.png", "1023.png");

    private DefaultPipelineProbe() {
    }

    /** @return the support set read from the task folder */
    static SupportSet support(Path task) throws IOException {
        List<SupportExample> ex = new ArrayList<>();
        for (String id : SUPPORT) {
            Image img = RealData.readImage(task.resolve("images").resolve(id));
            boolean[] label = RealData.readLabel(task.resolve("labels").resolve(id));
            ex.add(new SupportExample(id, img, BinaryMask.of(img.height(), img.width(), label)));
        }
        return SupportSet.of(ex);
    }

    /** @return the query images read from the task folder */
    static List<Image> queries(Path task) throws IOException {
        List<Image> q = new ArrayList<>();
        for (String id : QUERIES) {
            q.add(RealData.readImage(task.resolve("images").resolve(id)));
        }
        return q;
    }

    /**
     * @param task the brain-tumour-t1ce folder
     * @return the digest of one run with freshly loaded default models
     */
    static String runOnce(Path task) throws IOException {
        try (DefaultModels models = DefaultModels.load(); IclSam icl = models.pipelineBuilder().build()) {
            PreparedSupport p = icl.prepare(support(task));
            List<Segmentation> out = new ArrayList<>();
            for (Image q : queries(task)) {
                out.add(icl.segment(q, p));
            }
            return DeterminismProbe.digest(out);
        }
    }

    /**
     * Prints the digest of one run.
     *
     * @param args the brain-tumour-t1ce folder
     * @throws IOException if the images cannot be read
     */
    public static void main(String[] args) throws IOException {
        System.out.println(runOnce(Path.of(args[0])));
    }
}
