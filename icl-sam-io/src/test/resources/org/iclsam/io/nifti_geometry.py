"""Compares the geometry of NIfTI files with nibabel, the independent reference for icl-sam-io's writer.

  python3 nifti_geometry.py same INPUT OUTPUT        dims, pixdim, qform and sform (codes and matrices),
                                                     units and orientation codes of OUTPUT equal INPUT's
  python3 nifti_geometry.py affine OUTPUT AFFINE.f64 OUTPUT's sform and qform equal a 4x4 float64 affine

Prints "ok", or one line per difference, and then the label values found in OUTPUT.
"""
import sys

import nibabel as nib
import numpy as np


def main():
    mode = sys.argv[1]
    problems = []
    if mode == "same":
        a = nib.load(sys.argv[2])
        b = nib.load(sys.argv[3])
        ha, hb = a.header, b.header
        if list(ha["dim"]) != list(hb["dim"]):
            problems.append("dim %s != %s" % (list(ha["dim"]), list(hb["dim"])))
        if not np.array_equal(ha["pixdim"][:4], hb["pixdim"][:4]):
            problems.append("pixdim %s != %s" % (ha["pixdim"][:4], hb["pixdim"][:4]))
        if ha.get_xyzt_units() != hb.get_xyzt_units():
            problems.append("units %s != %s" % (ha.get_xyzt_units(), hb.get_xyzt_units()))
        for name in ("qform", "sform"):
            ma, ca = getattr(ha, "get_" + name)(coded=True)
            mb, cb = getattr(hb, "get_" + name)(coded=True)
            if int(ca) != int(cb):
                problems.append("%s_code %s != %s" % (name, ca, cb))
            if (ma is None) != (mb is None) or (ma is not None and not np.array_equal(ma, mb)):
                problems.append("%s %s != %s" % (name, ma, mb))
        if nib.aff2axcodes(a.affine) != nib.aff2axcodes(b.affine):
            problems.append("orientation %s != %s" % (nib.aff2axcodes(a.affine), nib.aff2axcodes(b.affine)))
        if not np.array_equal(a.affine, b.affine):
            problems.append("affine %s != %s" % (a.affine, b.affine))
        if a.shape != b.shape:
            problems.append("shape %s != %s" % (a.shape, b.shape))
    else:
        b = nib.load(sys.argv[2])
        expected = np.fromfile(sys.argv[3], dtype="<f8").reshape(4, 4)
        hb = b.header
        for name in ("qform", "sform"):
            m, code = getattr(hb, "get_" + name)(coded=True)
            if int(code) != 1:
                problems.append("%s_code %s != 1" % (name, code))
            elif not np.allclose(m, expected, atol=1e-4):
                problems.append("%s %s != expected %s" % (name, m, expected))
    print("\n".join(problems) if problems else "ok")
    data = np.asanyarray(b.dataobj)
    print("labels", sorted(int(v) for v in np.unique(data)), "dtype", data.dtype)


if __name__ == "__main__":
    main()
