package org.iclsam.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.iclsam.core.SupportExample;
import org.iclsam.core.SupportSet;
import org.iclsam.examples.data.SkippedItem;
import org.iclsam.examples.data.Task;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.examples.data.TaskSample;
import org.iclsam.examples.eval.Evaluation;

/**
 * Where {@code segment} and {@code prepare} take their support from: a support folder, all of it, or M examples
 * drawn with a seed from a task folder, the others left for queries.
 *
 * <p><b>The draw rule</b> ({@code --support-size M --seed S}): the task's usable samples in the reader's order
 * ({@link TaskReader}: 2D images by file name; 3D volumes by file name, then slice), n of them; the M at the indices
 * {@link Evaluation#draw Evaluation.draw(n, M, 0, S)} picks (a partial Fisher-Yates shuffle with
 * {@code java.util.Random} seeded from S and M, draw 0 of the evaluation protocol), kept in the reader's order, are
 * the support; the others, in the reader's order, are the queries. Groups ({@code task.json}) are not taken into
 * account: neighbouring slices of one patient may fall on both sides (use {@code evaluate} for the leak-free
 * protocol).
 *
 * @param support the support set
 * @param rest the samples not drawn (empty when the whole folder is the support)
 * @param description for messages, such as {@code "4 of 16 drawn from DIR with seed 42"}
 * @param skipped unusable files of a task folder, left out of the draw
 */
record SupportDraw(SupportSet support, List<TaskSample> rest, String description, List<SkippedItem> skipped) {

    /**
     * @param dir a support folder ({@code images/} and {@code labels/}) or a task folder
     * @param supportSize M, or null for the whole folder (which must then have no unusable file)
     * @param seed S
     * @param queriesGiven whether the caller has queries of its own (then M may be the whole task)
     * @return the support and the rest
     * @throws IOException if the folder cannot be read
     * @throws IllegalArgumentException naming the folder when it is not one, has unusable files (whole-folder mode),
     *     or holds too few samples for M
     */
    static SupportDraw read(Path dir, Integer supportSize, long seed, boolean queriesGiven) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("support folder " + dir + " does not exist or is not a folder");
        }
        Task t = TaskReader.read(dir);
        List<TaskSample> samples = t.samples();
        if (supportSize == null) {
            if (!t.skipped().isEmpty()) {
                throw new IllegalArgumentException("support folder " + dir + " has unusable files; fix or remove"
                        + " them: " + t.skipped());
            }
            return new SupportDraw(SupportSet.of(examples(samples)), List.of(), samples.size() + " example(s) of "
                    + dir, List.of());
        }
        int n = samples.size();
        int m = supportSize;
        int most = queriesGiven ? n : n - 1;
        if (m < 1 || m > most) {
            throw new IllegalArgumentException("--support-size " + m + " does not fit task " + dir + ", which has " + n
                    + " usable sample(s): give 1 to " + most + (queriesGiven ? "" : " (at least one must be left to"
                    + " segment)"));
        }
        int[] idx = Evaluation.draw(n, m, 0, seed);
        Arrays.sort(idx);
        boolean[] drawn = new boolean[n];
        List<TaskSample> chosen = new ArrayList<>(m);
        for (int i : idx) {
            drawn[i] = true;
            chosen.add(samples.get(i));
        }
        List<TaskSample> rest = new ArrayList<>(n - m);
        for (int i = 0; i < n; i++) {
            if (!drawn[i]) {
                rest.add(samples.get(i));
            }
        }
        return new SupportDraw(SupportSet.of(examples(chosen)), List.copyOf(rest), m + " of " + n + " sample(s) drawn"
                + " from " + dir + " with seed " + seed, t.skipped());
    }

    private static List<SupportExample> examples(List<TaskSample> samples) {
        List<SupportExample> out = new ArrayList<>(samples.size());
        for (TaskSample s : samples) {
            out.add(new SupportExample(s.id(), s.image(), s.label()));
        }
        return out;
    }

    /** @return the support's ids, in order */
    List<String> ids() {
        return support.examples().stream().map(SupportExample::id).toList();
    }
}
