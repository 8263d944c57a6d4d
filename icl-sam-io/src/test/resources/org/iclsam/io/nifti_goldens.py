"""Writes NIfTI-1 volumes with nibabel and, for each, the golden that NiftiOrientationNibabelTest compares the
Java reader with: the data nibabel reads back from the written file (scaling applied), reoriented by nibabel's
orientation tools to the reader's canonical layout, and the voxel spacing along the canonical axes.

The reader's canonical layout: x (columns) toward the patient's Left, y (rows) toward Posterior, z (slices)
toward Superior, i.e. nibabel axis codes ('L', 'P', 'S').

The affine is nibabel's own choice (img.affine of the re-loaded file: the sform when sform_code > 0, else the
qform), except when both codes are 0: there nibabel falls back to the Analyze affine (x flipped), while NIfTI-1
method 1, which the reader implements, is diag(pixdim) without a flip; the golden of those cases uses that
affine, reoriented by nibabel as the others.

Usage: python3 nifti_goldens.py OUT_DIR. Writes OUT_DIR/case_N.nii[.gz], OUT_DIR/case_N.golden (float32 little
endian, index (z * height + y) * width + x) and OUT_DIR/manifest.txt, one line per case:
  file golden width height depth spacing_x spacing_y spacing_z datatype kind
"""
import gzip
import itertools
import os
import struct
import sys

import numpy as np
import nibabel as nib
from nibabel.orientations import apply_orientation, axcodes2ornt, io_orientation, ornt_transform

TARGET = axcodes2ornt(("L", "P", "S"))
SHAPE = (5, 4, 3)  # distinct sizes, so that a wrong permutation cannot go unnoticed
DTYPES = [np.uint8, np.int16, np.int32, np.float32, np.float64, np.int8, np.uint16, np.uint32]
SCL_SLOPE_OFFSET = 112


def rotation(axis, degrees):
    axis = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    t = np.radians(degrees)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(t) * k + (1 - np.cos(t)) * k @ k


def data_of(dtype, rng):
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    lo = max(info.min, -1000) if info is not None else -1000
    hi = min(info.max, 1000) if info is not None else 1000
    values = rng.permutation(np.arange(lo, hi))[: int(np.prod(SHAPE))] if hi - lo >= np.prod(SHAPE) else None
    if values is None:
        values = rng.integers(lo, hi, size=int(np.prod(SHAPE)))
    a = values.reshape(SHAPE).astype(dtype)
    if info is None:
        a = a + np.asarray(0.25, dtype=dtype)
    return a


def main(out):
    rng = np.random.default_rng(20261204)
    cases = []
    signed_perms = [(p, s) for p in itertools.permutations(range(3)) for s in itertools.product((1, -1), repeat=3)]
    for n, (perm, signs) in enumerate(signed_perms):
        # every signed permutation, alternately through the sform (with a different qform that must lose) and the
        # qform alone (nibabel writes the quaternion, qfac = -1 for a left-handed affine)
        cases.append(dict(perm=perm, signs=signs, via="sform" if n % 2 == 0 else "qform", oblique=None))
    for n in range(12):
        perm, signs = signed_perms[int(rng.integers(len(signed_perms)))]
        axis = rng.normal(size=3)
        cases.append(dict(perm=perm, signs=signs, via="sform" if n % 2 == 0 else "qform",
                          oblique=(axis, float(rng.uniform(5, 30)))))
    for n in range(3):
        cases.append(dict(perm=(0, 1, 2), signs=(1, 1, 1), via="none", oblique=None))

    lines = []
    for i, c in enumerate(cases):
        dtype = DTYPES[i % len(DTYPES)]
        zooms = rng.uniform(0.5, 3.0, size=3).round(3)
        m = np.zeros((3, 3))
        for voxel_axis, world_axis in enumerate(c["perm"]):
            m[world_axis, voxel_axis] = c["signs"][voxel_axis] * zooms[voxel_axis]
        if c["oblique"] is not None:
            m = rotation(*c["oblique"]) @ m
        affine = np.eye(4)
        affine[:3, :3] = m
        affine[:3, 3] = rng.uniform(-100, 100, size=3).round(2)
        big_endian = i % 5 == 0
        header = nib.Nifti1Header(endianness=">" if big_endian else "<")
        img = nib.Nifti1Image(data_of(dtype, rng), affine, header=header)
        img.set_data_dtype(dtype)
        if c["via"] == "sform":
            img.set_sform(affine, code=int(1 + i % 4))
            img.set_qform(np.diag([1.0, 1.0, 1.0, 1.0]), code=1)  # a different qform: the sform must win
        elif c["via"] == "qform":
            img.set_sform(None, code=0)
            img.set_qform(affine, code=int(1 + i % 2))
        else:
            img.set_sform(None, code=0)
            img.set_qform(None, code=0)
        img.header.set_zooms(tuple(zooms))
        plain = os.path.join(out, f"case_{i}.nii")
        img.to_filename(plain)
        slope, inter = (1.5, -7.0) if i % 3 == 0 else (0.0, 0.0)  # 0: no scaling (NIfTI-1)
        with open(plain, "r+b") as f:
            f.seek(SCL_SLOPE_OFFSET)
            f.write(struct.pack((">" if big_endian else "<") + "ff", slope, inter))
        name = plain
        if i % 4 == 1:
            with open(plain, "rb") as f, gzip.open(plain + ".gz", "wb") as g:
                g.write(f.read())
            os.remove(plain)
            name = plain + ".gz"

        back = nib.load(name)
        if c["via"] == "none":
            best = np.diag(list(back.header.get_zooms()[:3]) + [1.0])
        else:
            best = back.affine
        transform = ornt_transform(io_orientation(best), TARGET)
        canon = apply_orientation(np.asanyarray(back.get_fdata(dtype=np.float64)), transform)
        spacing = [0.0, 0.0, 0.0]
        for voxel_axis, (canon_axis, _flip) in enumerate(transform):
            spacing[int(canon_axis)] = float(back.header.get_zooms()[voxel_axis])
        golden = os.path.join(out, f"case_{i}.golden")
        canon.transpose(2, 1, 0).astype("<f4").tofile(golden)
        w, h, d = canon.shape
        kind = c["via"] + ("-oblique" if c["oblique"] is not None else "") + ("-be" if big_endian else "")
        lines.append(f"{os.path.basename(name)} {os.path.basename(golden)} {w} {h} {d} "
                     f"{spacing[0]!r} {spacing[1]!r} {spacing[2]!r} {int(back.header['datatype'])} {kind}")
    with open(os.path.join(out, "manifest.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(len(lines), "cases")


if __name__ == "__main__":
    main(sys.argv[1])
