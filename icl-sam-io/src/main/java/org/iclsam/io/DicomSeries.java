package org.iclsam.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads a folder of single-frame DICOM slices of one series into a {@link Volume}: the files that start with the
 * DICOM prefix are read ({@link DicomFiles}), every other file is ignored, and the slices are sorted by their
 * ImagePositionPatient along the slice normal (the cross product of ImageOrientationPatient's row and column
 * directions), or by InstanceNumber when no slice has a position.
 *
 * <p><b>Geometry</b>: the stored axes are (column, row, sorted slice) with the steps DICOM defines (PS3.3
 * C.7.6.2.1.1): the row direction times the column spacing, the column direction times the row spacing, and the
 * mean step between consecutive positions; the patient's LPS coordinates become NIfTI's RAS by negating x and y. A
 * label volume written from it ({@link NiftiFiles#writeLabels}) has that affine as its sform and qform. Without
 * positions the slices are stacked at SpacingBetweenSlices (else SliceThickness, else 1 mm) along the normal of
 * their orientation (axial when they have none).
 *
 * <p><b>Values</b> are each slice's own modality values (its rescale slope and intercept); MONOCHROME1's inversion
 * is a display convention and is not applied to them. {@link Volume#fileWindow()} is the first slice's window.
 *
 * <p><b>Where it fails</b> ({@link IllegalArgumentException} naming the folder and the slices concerned): no
 * DICOM file; several series (by SeriesInstanceUID); a multi-frame file; slices of different sizes or
 * orientations; two slices at one position; spacing between slices that varies by more than
 * {@link #SPACING_TOLERANCE} of its mean (a missing slice); some slices with a position and some without.
 * Enhanced multi-frame geometry (per-frame functional groups) is not read.
 */
public final class DicomSeries {
    /** Relative variation of the spacing between consecutive slices that is accepted. */
    public static final double SPACING_TOLERANCE = 0.01;
    /** Slices closer than this (mm) along the normal are at the same position. */
    private static final double SAME_POSITION = 1e-4;
    private static final double ORIENTATION_TOLERANCE = 1e-4;

    private DicomSeries() {
    }

    /**
     * @param dir a folder holding the slices of one series (not searched recursively)
     * @return the volume in the canonical layout, with the series' geometry
     * @throws IOException naming the file, if the folder or a file cannot be read
     * @throws IllegalArgumentException as described on the class
     */
    public static Volume read(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder of DICOM slices");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        List<DicomImage> slices = new ArrayList<>();
        for (Path f : files) {
            if (DicomFiles.isDicom(f)) {
                slices.add(DicomFiles.read(f));
            }
        }
        try {
            return stack(slices, dir.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
        }
    }

    static Volume stack(List<DicomImage> input, String source) {
        if (input.isEmpty()) {
            throw new IllegalArgumentException("no DICOM file (no file starts with the 128-byte preamble and 'DICM')");
        }
        Map<String, Integer> series = new LinkedHashMap<>();
        for (DicomImage s : input) {
            series.merge(String.valueOf(s.seriesInstanceUid()), 1, Integer::sum);
        }
        if (series.size() > 1) {
            throw new IllegalArgumentException("the folder holds " + series.size() + " series (SeriesInstanceUID: "
                    + "slice count) " + series + "; put each series in a folder of its own");
        }
        DicomImage first = input.get(0);
        for (DicomImage s : input) {
            if (s.frames() != 1) {
                throw new IllegalArgumentException(s.source() + " has " + s.frames() + " frames: a series is read "
                        + "from single-frame files (read a multi-frame file with DicomFiles.read)");
            }
            if (s.rows() != first.rows() || s.columns() != first.columns()) {
                throw new IllegalArgumentException(s.source() + " is " + s.rows() + "x" + s.columns() + " but "
                        + first.source() + " is " + first.rows() + "x" + first.columns() + " (rows x columns)");
            }
            if ((s.imagePosition() == null) != (first.imagePosition() == null)) {
                throw new IllegalArgumentException("some slices have an ImagePositionPatient and some do not ("
                        + s.source() + ", " + first.source() + ")");
            }
            double[] a = s.imageOrientation();
            double[] b = first.imageOrientation();
            if ((a == null) != (b == null) || (a != null && maxDiff(a, b) > ORIENTATION_TOLERANCE)) {
                throw new IllegalArgumentException(s.source() + " and " + first.source() + " have different "
                        + "ImageOrientationPatient values");
            }
        }
        double[] iop = first.imageOrientation() != null ? first.imageOrientation() : new double[] {1, 0, 0, 0, 1, 0};
        double[] rowDir = unit(new double[] {iop[0], iop[1], iop[2]}, "row direction of ImageOrientationPatient");
        double[] colDir = unit(new double[] {iop[3], iop[4], iop[5]}, "column direction of ImageOrientationPatient");
        double[] normal = cross(rowDir, colDir);
        if (norm(normal) < 0.5) {
            throw new IllegalArgumentException("ImageOrientationPatient's row and column directions are not "
                    + "perpendicular");
        }
        List<DicomImage> sorted = new ArrayList<>(input);
        int n = sorted.size();
        double[] step;
        double[] origin;
        if (first.imagePosition() != null) {
            sorted.sort(Comparator.comparingDouble(s -> dot(s.imagePosition(), normal)));
            double[] gaps = new double[Math.max(0, n - 1)];
            for (int k = 1; k < n; k++) {
                gaps[k - 1] = dot(sorted.get(k).imagePosition(), normal) - dot(sorted.get(k - 1).imagePosition(),
                        normal);
                if (gaps[k - 1] < SAME_POSITION) {
                    throw new IllegalArgumentException(sorted.get(k - 1).source() + " and " + sorted.get(k).source()
                            + " are at the same position along the slice normal");
                }
            }
            double mean = 0;
            for (double g : gaps) {
                mean += g / gaps.length;
            }
            for (int k = 0; k < gaps.length; k++) {
                if (Math.abs(gaps[k] - mean) > SPACING_TOLERANCE * mean) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "the spacing between slices "
                            + "varies: %.4g mm between %s and %s, mean %.4g mm (a missing slice?)", gaps[k],
                            sorted.get(k).source(), sorted.get(k + 1).source(), mean));
                }
            }
            double[] p0 = sorted.get(0).imagePosition();
            origin = p0;
            if (n > 1) {
                double[] pl = sorted.get(n - 1).imagePosition();
                step = new double[3];
                for (int c = 0; c < 3; c++) {
                    step[c] = (pl[c] - p0[c]) / (n - 1);
                }
            } else {
                step = scale(normal, sliceSpacing(first));
            }
        } else {
            for (DicomImage s : sorted) {
                if (s.instanceNumber() == null) {
                    throw new IllegalArgumentException(s.source() + " has neither ImagePositionPatient nor "
                            + "InstanceNumber: the slices cannot be ordered");
                }
            }
            sorted.sort(Comparator.comparingInt(DicomImage::instanceNumber));
            for (int k = 1; k < n; k++) {
                if (sorted.get(k).instanceNumber().equals(sorted.get(k - 1).instanceNumber())) {
                    throw new IllegalArgumentException(sorted.get(k - 1).source() + " and " + sorted.get(k).source()
                            + " have the same InstanceNumber");
                }
            }
            origin = new double[3];
            step = scale(normal, sliceSpacing(first));
        }
        double[] ps = first.pixelSpacing() != null ? first.pixelSpacing() : new double[] {1, 1};
        // LPS -> RAS: negate x and y
        double[] flip = {-1, -1, 1};
        double[][] r = new double[3][3];
        double[] rasOrigin = new double[3];
        for (int w = 0; w < 3; w++) {
            r[w][0] = flip[w] * rowDir[w] * ps[1];
            r[w][1] = flip[w] * colDir[w] * ps[0];
            r[w][2] = flip[w] * step[w];
            rasOrigin[w] = flip[w] * origin[w];
        }
        int[] stored = {first.columns(), first.rows(), n};
        VolumeGeometry g = VolumeGeometry.of(stored, r, VolumeGeometry.header(stored, r, rasOrigin),
                ByteOrder.LITTLE_ENDIAN, source);
        int[] dims = g.canonicalDims();
        float[] data = new float[stored[0] * stored[1] * n];
        for (int k = 0; k < n; k++) {
            float[] v = sorted.get(k).allValues();
            for (int j = 0; j < stored[1]; j++) {
                for (int i = 0; i < stored[0]; i++) {
                    data[g.canonicalIndex(i, j, k)] = v[j * stored[0] + i];
                }
            }
        }
        double[] spacing = new double[3];
        int[] canonicalOf = g.canonicalOf();
        double[] storedSpacing = {ps[1], ps[0], norm(step)};
        for (int c = 0; c < 3; c++) {
            spacing[canonicalOf[c]] = storedSpacing[c];
        }
        int datatype = first.bitsAllocated() == 8 ? (first.signed() ? NiftiFiles.DT_INT8 : NiftiFiles.DT_UINT8)
                : (first.signed() ? NiftiFiles.DT_INT16 : NiftiFiles.DT_UINT16);
        double[] window = first.fileWindow();
        return new Volume(dims[0], dims[1], dims[2], data, spacing, datatype, first.bitsStored(), window, g);
    }

    private static double sliceSpacing(DicomImage s) {
        double d = s.spacingBetweenSlices();
        if (d > 0) {
            return d;
        }
        d = s.sliceThickness();
        return d > 0 ? d : 1;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] unit(double[] v, String what) {
        double n = norm(v);
        if (!(n > 0.5 && n < 1.5)) {
            throw new IllegalArgumentException("the " + what + " has length " + n + ", expected a unit vector");
        }
        return scale(v, 1 / n);
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }
}
