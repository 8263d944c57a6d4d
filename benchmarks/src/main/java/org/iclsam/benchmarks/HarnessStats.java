package org.iclsam.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the JSON-printing harnesses report next to their timings: medians and the machine's load. */
public final class HarnessStats {
    private HarnessStats() {
    }

    /** @return the 1-minute load average (Linux {@code /proc/loadavg}), or -1 where there is none */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @param v the values, not modified
     * @return their median (the mean of the two middle values for an even count)
     * @throws IndexOutOfBoundsException if there are none
     */
    public static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
