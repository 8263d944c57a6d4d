package org.iclsam.examples.data;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A segmentation task read by {@link TaskReader}: its annotated 2D samples (slices for 3D tasks), the
 * description from {@code task.json}, and the files that were left out.
 */
public final class Task {
    private final String name;
    private final String target;
    private final String licence;
    private final String attribution;
    private final boolean volumetric;
    private final boolean grouped;
    private final List<TaskSample> samples;
    private final List<SkippedItem> skipped;

    Task(String name, String target, String licence, String attribution, boolean volumetric, boolean grouped,
            List<TaskSample> samples, List<SkippedItem> skipped) {
        this.name = Objects.requireNonNull(name, "name");
        this.target = target;
        this.licence = licence;
        this.attribution = attribution;
        this.volumetric = volumetric;
        this.grouped = grouped;
        this.samples = List.copyOf(samples);
        this.skipped = List.copyOf(skipped);
    }

    /** @return the task's name (its folder name) */
    public String name() {
        return name;
    }

    /** @return the target as described in {@code task.json} (for 3D tasks the chosen target's name), or "" */
    public String target() {
        return target == null ? "" : target;
    }

    /** @return the licence string of {@code task.json}, or "" */
    public String licence() {
        return licence == null ? "" : licence;
    }

    /** @return the attribution string of {@code task.json}, or "" */
    public String attribution() {
        return attribution == null ? "" : attribution;
    }

    /** @return true when the samples are slices of 3D volumes (the group is the volume) */
    public boolean volumetric() {
        return volumetric;
    }

    /**
     * @return true when samples carry real groups (patients, cases or volumes) rather than one group per
     *     image; the evaluation then splits by group
     */
    public boolean grouped() {
        return grouped;
    }

    /** @return the readable samples, in a stable order (by file name, then slice index) */
    public List<TaskSample> samples() {
        return samples;
    }

    /** @return the files that were left out, with reasons; never null */
    public List<SkippedItem> skipped() {
        return skipped;
    }

    /** @return the distinct groups, in sample order */
    public Set<String> groups() {
        Set<String> g = new LinkedHashSet<>();
        for (TaskSample s : samples) {
            g.add(s.group());
        }
        return g;
    }

    @Override
    public String toString() {
        return "Task[" + name + ", " + samples.size() + " samples, " + groups().size() + " groups, "
                + skipped.size() + " skipped]";
    }
}
