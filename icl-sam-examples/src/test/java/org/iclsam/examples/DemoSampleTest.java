package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bundled demo sample is the seeded random draw its index says it is, not a choice: the draw is repeated from
 * the shared data's brain-tumour-t1ce task (its meningioma ids in numeric order, shuffled with the seed; the first 6
 * the support, the next 8 the queries) and compared with the index, line by line.
 */
class DemoSampleTest {
    @Test
    void theSampleIsTheSeededDrawOfTheIndex() throws IOException {
        // as the other real-data tests: -Diclsam.data, else shared/data beside the repository
        Path data = Path.of(System.getProperty("iclsam.data",
                Files.isDirectory(Path.of("../../shared/data")) ? "../../shared/data" : "../shared/data"));
        Path task = data.resolve("brain-tumour-t1ce").resolve("task.json");
        assumeTrue(Files.isRegularFile(task), "shared data not found at " + task + " (set -Diclsam.data)");
        Matcher m = Pattern.compile("\"(\\d+)\"\\s*:\\s*\"meningioma\"").matcher(Files.readString(task));
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertEquals(80, ids.size(), "meningioma ids in " + task);
        ids.sort(Comparator.comparingInt(Integer::parseInt));
        Collections.shuffle(ids, new Random(DemoCommand.SAMPLE_SEED));
        List<String> support = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        DemoCommand.extractSample(Files.createTempDirectory("demo-sample"), support, queries);
        assertEquals(ids.subList(0, 6), support);
        assertEquals(ids.subList(6, 14), queries);
    }
}
