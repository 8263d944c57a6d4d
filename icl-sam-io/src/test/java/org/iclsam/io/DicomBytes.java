package org.iclsam.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes small DICOM Part 10 files for tests, element by element (explicit or implicit VR little endian), with a
 * nested sequence of undefined length before the pixel data. Independent of the reader: it follows PS3.5 directly.
 */
final class DicomBytes {
    static final int ROWS = 3;
    static final int COLUMNS = 4;

    private String transferSyntax = DicomParser.EXPLICIT_LE;
    private String photometric = "MONOCHROME2";
    private int samples = 1;
    private boolean pixels = true;
    private int frames = 1;

    static DicomBytes builder() {
        return new DicomBytes();
    }

    DicomBytes transferSyntax(String v) {
        transferSyntax = v;
        return this;
    }

    DicomBytes photometric(String v) {
        photometric = v;
        return this;
    }

    DicomBytes samples(int v) {
        samples = v;
        return this;
    }

    DicomBytes frames(int v) {
        frames = v;
        return this;
    }

    DicomBytes omitPixels() {
        pixels = false;
        return this;
    }

    /** The stored values: 16-bit signed, i * 37 - 200, times slope 2 plus intercept -5. */
    float[] expectedValues() {
        float[] v = new float[ROWS * COLUMNS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37 - 200) * 2 - 5;
        }
        return v;
    }

    byte[] build() {
        boolean explicit = !DicomParser.IMPLICIT_LE.equals(transferSyntax);
        Out meta = new Out(true);
        meta.str(0x00020010, "UI", transferSyntax);
        Out out = new Out(true);
        out.bytes(new byte[128]);
        out.bytes("DICM".getBytes(StandardCharsets.US_ASCII));
        out.ul(0x00020000, meta.size());
        out.bytes(meta.toByteArray());
        Out ds = new Out(explicit);
        ds.str(0x00080060, "CS", "CT");
        // a sequence of undefined length holding an item of undefined length with a nested defined-length sequence
        ds.tagVr(0x00081140, "SQ");
        ds.len32(0xFFFFFFFFL);
        ds.item(0xFFFFFFFFL);
        ds.str(0x00081150, "UI", "1.2.3");
        Out inner = new Out(explicit);
        inner.str(0x00081155, "UI", "4.5.6");
        byte[] innerItem = inner.toByteArray();
        Out seq = new Out(explicit);
        seq.item(innerItem.length);
        seq.bytes(innerItem);
        byte[] seqBytes = seq.toByteArray();
        ds.tagVr(0x00089215, "SQ");
        ds.len32(seqBytes.length);
        ds.bytes(seqBytes);
        ds.delim(0xFFFEE00D);
        ds.delim(0xFFFEE0DD);
        ds.us(0x00280002, samples);
        ds.str(0x00280004, "CS", photometric);
        if (frames > 1) {
            ds.str(0x00280008, "IS", Integer.toString(frames));
        }
        ds.us(0x00280010, ROWS);
        ds.us(0x00280011, COLUMNS);
        ds.us(0x00280100, 16);
        ds.us(0x00280101, 16);
        ds.us(0x00280102, 15);
        ds.us(0x00280103, 1);
        ds.str(0x00281052, "DS", "-5");
        ds.str(0x00281053, "DS", "2");
        if (pixels) {
            byte[] px = new byte[ROWS * COLUMNS * samples * frames * 2];
            for (int i = 0; i < px.length / 2; i++) {
                int v = (i % (ROWS * COLUMNS)) * 37 - 200;
                px[2 * i] = (byte) v;
                px[2 * i + 1] = (byte) (v >> 8);
            }
            ds.tagVr(0x7FE00010, "OW");
            ds.len32(px.length);
            ds.bytes(px);
        }
        out.bytes(ds.toByteArray());
        return out.toByteArray();
    }

    /** Little-endian element output. */
    private static final class Out extends ByteArrayOutputStream {
        private final boolean explicit;

        Out(boolean explicit) {
            this.explicit = explicit;
        }

        void u16(int v) {
            write(v & 0xff);
            write((v >> 8) & 0xff);
        }

        void u32(long v) {
            u16((int) (v & 0xffff));
            u16((int) ((v >> 16) & 0xffff));
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void tag(int tag) {
            u16(tag >>> 16);
            u16(tag & 0xffff);
        }

        /** Tag and, for explicit VR, the VR with the reserved bytes of a long-form VR; the length follows. */
        private String vr;

        void tagVr(int tag, String v) {
            tag(tag);
            vr = v;
            if (explicit) {
                bytes(v.getBytes(StandardCharsets.US_ASCII));
                if (v.equals("SQ") || v.equals("OW") || v.equals("OB") || v.equals("UN")) {
                    u16(0);
                }
            }
        }

        void len32(long n) {
            u32(n);
        }

        void len(int n) {
            if (explicit && !(vr.equals("SQ") || vr.equals("OW") || vr.equals("OB") || vr.equals("UN"))) {
                u16(n);
            } else {
                u32(n);
            }
        }

        void str(int tag, String v, String value) {
            byte[] b = value.getBytes(StandardCharsets.US_ASCII);
            int n = b.length + (b.length % 2);
            tagVr(tag, v);
            len(n);
            bytes(b);
            if (n > b.length) {
                write(v.equals("UI") ? 0 : ' ');
            }
        }

        void us(int tag, int value) {
            tagVr(tag, "US");
            len(2);
            u16(value);
        }

        void ul(int tag, long value) {
            tagVr(tag, "UL");
            len(4);
            u32(value);
        }

        void item(long length) {
            tag(0xFFFEE000);
            u32(length);
        }

        void delim(int tag) {
            tag(tag);
            u32(0);
        }
    }
}
