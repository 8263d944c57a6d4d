"""Writes the DICOM test files of icl-sam-io with pydicom, and the values pydicom reads from them.

Usage: python3 make_dicom.py OUT_DIR

For every file NAME.dcm it writes NAME.modality.f32 (pydicom's pixel_array through apply_modality_lut, float32
little-endian, frames x rows x columns) and NAME.display.f32 (the frame on 0..255: pydicom's apply_voi_lut rescaled
from its output range, or the stored type's full range when the file has no window; MONOCHROME1 inverted).
A series folder also gets SERIES.affine.f64 (the 4x4 voxel-to-RAS affine of column, row, sorted slice) and
SERIES.volume.f32 (modality values, slice-major in position order). Run by DicomFilesTest and DicomSeriesTest.
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut
from pydicom.sequence import Sequence

IMPLICIT = "1.2.840.10008.1.2"
EXPLICIT = "1.2.840.10008.1.2.1"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
RLE = "1.2.840.10008.1.2.5"
CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
PYDICOM_3 = int(pydicom.__version__.split(".")[0]) >= 3


def base(ts, uid, rows, cols, bits_alloc, bits_stored, signed, photometric, frames=1):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CT_STORAGE
    meta.MediaStorageSOPInstanceUID = uid
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = "2.25.1234567"
    ds = Dataset()
    ds.file_meta = meta
    ds.preamble = b"\0" * 128
    if not PYDICOM_3:
        ds.is_little_endian = True
        ds.is_implicit_VR = ts == IMPLICIT
    ds.SOPClassUID = CT_STORAGE
    ds.SOPInstanceUID = uid
    ds.Modality = "CT"
    ds.PatientName = "Test^Generated"
    ds.SeriesInstanceUID = "2.25.99"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = bits_alloc
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if frames > 1:
        ds.NumberOfFrames = frames
    # a sequence and a private element before the pixel data, which the reader must skip
    item = Dataset()
    item.ReferencedSOPClassUID = CT_STORAGE
    item.ReferencedSOPInstanceUID = "2.25.5"
    ds.ReferencedImageSequence = Sequence([item])
    ds.add_new(0x00091001, "LO", "private value")
    return ds


def save(ds, path, undefined_sequences=False):
    if undefined_sequences:
        ds["ReferencedImageSequence"].is_undefined_length = True
        for it in ds.ReferencedImageSequence:
            it.is_undefined_length_sequence_item = True
    if PYDICOM_3:
        ds.save_as(path, implicit_vr=ds.file_meta.TransferSyntaxUID == IMPLICIT, little_endian=True,
                   enforce_file_format=True)
    else:
        ds.save_as(path, write_like_original=False)


def references(out, name, path, garbage_mask=None):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    if garbage_mask is not None:
        arr = arr & garbage_mask  # pydicom versions differ on masking unused high bits: mask here, by definition
    modality = apply_modality_lut(arr, ds).astype(np.float64)
    modality.astype("<f4").tofile(os.path.join(out, name + ".modality.f32"))
    bits = int(ds.BitsStored)
    if int(ds.PixelRepresentation) == 0:
        y_min, y_max = 0.0, 2.0 ** bits - 1
    else:
        y_min, y_max = -(2.0 ** (bits - 1)), 2.0 ** (bits - 1) - 1
    slope = float(ds.get("RescaleSlope", 1))
    intercept = float(ds.get("RescaleIntercept", 0))
    y_min, y_max = y_min * slope + intercept, y_max * slope + intercept
    if "WindowCenter" in ds:
        shown = apply_voi_lut(modality, ds).astype(np.float64)
    else:
        shown = modality
    display = np.clip((shown - y_min) / (y_max - y_min) * 255.0, 0, 255)
    if ds.PhotometricInterpretation == "MONOCHROME1":
        display = 255.0 - display
    frame0 = display[0] if int(ds.get("NumberOfFrames", 1)) > 1 else display
    frame0.astype("<f4").tofile(os.path.join(out, name + ".display.f32"))


def single_files(out):
    rng = np.random.default_rng(19)

    ds = base(IMPLICIT, "2.25.11", 6, 5, 16, 16, True, "MONOCHROME2")
    px = rng.integers(-1024, 3000, size=(6, 5)).astype("<i2")
    ds.RescaleSlope = 1
    ds.RescaleIntercept = -1024
    ds.WindowCenter = 40
    ds.WindowWidth = 400
    ds.PixelData = px.tobytes()
    p = os.path.join(out, "ct_implicit.dcm")
    save(ds, p)
    references(out, "ct_implicit", p)

    ds = base(EXPLICIT, "2.25.12", 4, 7, 16, 12, False, "MONOCHROME2")
    px = rng.integers(0, 4096, size=(4, 7)).astype("<u2")
    ds.RescaleSlope = "2.5"
    ds.RescaleIntercept = "10"
    ds.PixelData = px.tobytes()
    p = os.path.join(out, "mr_explicit.dcm")
    save(ds, p, undefined_sequences=True)
    references(out, "mr_explicit", p)

    ds = base(EXPLICIT, "2.25.13", 3, 8, 8, 8, False, "MONOCHROME1")
    ds.Modality = "CR"
    px = rng.integers(0, 256, size=(3, 8)).astype("u1")
    ds.WindowCenter = 128
    ds.WindowWidth = 200
    ds.PixelData = px.tobytes()
    p = os.path.join(out, "cr_mono1.dcm")
    save(ds, p)
    references(out, "cr_mono1", p)

    ds = base(EXPLICIT, "2.25.14", 2, 3, 8, 8, True, "MONOCHROME2", frames=3)
    px = rng.integers(-128, 128, size=(3, 2, 3)).astype("i1")
    ds.PixelData = px.tobytes()
    p = os.path.join(out, "multiframe_s8.dcm")
    save(ds, p, undefined_sequences=True)
    references(out, "multiframe_s8", p)

    # 10 stored bits in 16, with the unused high bits set: a reader must ignore them
    ds = base(IMPLICIT, "2.25.15", 3, 3, 16, 10, False, "MONOCHROME2")
    px = (rng.integers(0, 1024, size=(3, 3)) | 0xA400).astype("<u2")
    ds.PixelData = px.tobytes()
    p = os.path.join(out, "garbage_bits.dcm")
    save(ds, p)
    references(out, "garbage_bits", p, garbage_mask=0x3FF)

    for ts, name in ((JPEG_BASELINE, "jpeg_baseline"), (RLE, "rle")):
        ds = base(EXPLICIT, "2.25.16", 2, 2, 8, 8, False, "MONOCHROME2")
        ds.file_meta.TransferSyntaxUID = ts
        if not PYDICOM_3:
            ds.is_implicit_VR = False
        from pydicom.encaps import encapsulate
        ds.PixelData = encapsulate([b"\xff\xd8\xff\xd9"])
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
        p = os.path.join(out, name + ".dcm")
        if PYDICOM_3:
            ds.save_as(p, implicit_vr=False, little_endian=True, enforce_file_format=True)
        else:
            ds.save_as(p, write_like_original=False)


def series(out, name, orientation, spacing, step, origin, shuffle):
    """Five 16-bit signed CT slices; files named in shuffled order, InstanceNumber opposite to position."""
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    rows, cols, n = 6, 4, 5
    row_cos = np.array(orientation[:3], float)
    col_cos = np.array(orientation[3:], float)
    normal = np.cross(row_cos, col_cos)
    volume = []
    positions = []
    for k in range(n):
        pos = np.array(origin, float) + k * step * normal
        positions.append(pos)
        ds = base(IMPLICIT if k % 2 else EXPLICIT, "2.25.2%d" % k, rows, cols, 16, 16, True, "MONOCHROME2")
        ds.SeriesInstanceUID = "2.25.777"
        ds.InstanceNumber = n - k
        ds.ImagePositionPatient = [float(x) for x in pos]
        ds.ImageOrientationPatient = [float(x) for x in orientation]
        ds.PixelSpacing = [spacing[0], spacing[1]]
        ds.SliceThickness = step
        ds.RescaleSlope = 1
        ds.RescaleIntercept = -1024 + 10 * k  # per-slice rescale: each slice's own must be applied
        ds.WindowCenter = 40
        ds.WindowWidth = 400
        px = rng.integers(0, 2000, size=(rows, cols)).astype("<i2")
        ds.PixelData = px.tobytes()
        save(ds, os.path.join(folder, "slice_%s.dcm" % shuffle[k]))
        volume.append(px.astype(np.float64) + (-1024 + 10 * k))
    with open(os.path.join(folder, "notes.txt"), "w") as f:
        f.write("not a DICOM file: the series reader must ignore it\n")
    # the affine, computed here from the DICOM definitions (PS3.3 C.7.6.2.1.1), LPS to RAS by negating x and y
    affine = np.eye(4)
    affine[:3, 0] = row_cos * spacing[1]   # along a row: increasing column index, steps of the column spacing
    affine[:3, 1] = col_cos * spacing[0]   # down a column: increasing row index, steps of the row spacing
    affine[:3, 2] = (positions[-1] - positions[0]) / (n - 1)
    affine[:3, 3] = positions[0]
    affine = np.diag([-1.0, -1.0, 1.0, 1.0]) @ affine
    affine.astype("<f8").tofile(os.path.join(out, name + ".affine.f64"))
    np.array(volume).astype("<f4").tofile(os.path.join(out, name + ".volume.f32"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    single_files(out)
    series(out, "series_axial", [1, 0, 0, 0, 1, 0], [0.7, 0.8], 2.5, [-100.0, -120.0, 30.0], "cadbe")
    c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
    series(out, "series_oblique", [c, s, 0, -s, c, 0], [0.5, 0.6], 3.0, [10.0, 20.0, -5.0], "ebdca")
    print("ok", pydicom.__version__)


if __name__ == "__main__":
    main()
