package org.iclsam.benchmarks.icl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.iclsam.core.Image;
import org.iclsam.examples.data.TaskReader;
import org.iclsam.io.ImageFiles;
import org.iclsam.morphology.BinaryMask;

/**
 * One open 2D task of {@code shared/data}: a seeded selection of at most {@link #MAX_IMAGES} image ids with
 * their groups (patient or case); images and labels are read on demand with the SDK's {@link ImageFiles}.
 */
final class TaskData {
    /** At most this many images per task (encoding costs ~0.6 s per image on two shared cores). */
    static final int MAX_IMAGES = 40;
    /** Tasks without groups: consecutive ids (sorted numerically) in blocks of this size form one pseudo group. */
    static final int PSEUDO_GROUP_BLOCK = 10;

    final String name;
    final Path dir;
    final List<String> ids;
    final Map<String, String> groupOf;

    private TaskData(String name, Path dir, List<String> ids, Map<String, String> groupOf) {
        this.name = name;
        this.dir = dir;
        this.ids = ids;
        this.groupOf = groupOf;
    }

    static TaskData load(Path root, String name, long seed) throws IOException {
        Path dir = root.resolve(name);
        List<String> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("images"))) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".png"))
                    .map(f -> f.substring(0, f.length() - 4)).sorted(TaskData::compareIds).forEach(all::add);
        }
        Map<String, String> groups = readGroups(dir.resolve("task.json"));
        Map<String, String> groupOf = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            String id = all.get(i);
            String g = groups.get(id);
            groupOf.put(id, g != null ? g : "block-" + (i / PSEUDO_GROUP_BLOCK));
        }
        List<String> ids = new ArrayList<>(all);
        if (ids.size() > MAX_IMAGES) {
            Collections.shuffle(ids, new Random(seed));
            ids = new ArrayList<>(ids.subList(0, MAX_IMAGES));
            ids.sort(TaskData::compareIds);
        }
        return new TaskData(name, dir, List.copyOf(ids), groupOf);
    }

    private static int compareIds(String a, String b) {
        if (a.matches("\\d+") && b.matches("\\d+")) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return a.compareTo(b);
    }

    /** Reads the flat {@code "groups": {"id": "group", ...}} object of task.json without a JSON library. */
    private static Map<String, String> readGroups(Path taskJson) throws IOException {
        String text = Files.readString(taskJson, StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>();
        int at = text.indexOf("\"groups\"");
        if (at < 0) {
            return out;
        }
        int open = text.indexOf('{', at);
        int close = text.indexOf('}', open);
        Matcher m = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"").matcher(text.substring(open + 1, close));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    Image image(String id) {
        return ImageFiles.readImage(dir.resolve(TaskReader.IMAGES).resolve(id + ".png"));
    }

    BinaryMask label(String id) {
        return ImageFiles.readMask(dir.resolve(TaskReader.LABELS).resolve(id + ".png"));
    }
}
