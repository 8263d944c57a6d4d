"""Writes a DICOM series of bright discs with pydicom, for the command line's DICOM test (SegmentDicomTest).

Usage: python3 make_dicom_discs.py OUT_DIR

Five 48 x 40 CT slices, 16-bit signed, MONOCHROME2, RescaleSlope 1 and RescaleIntercept -1024 (so the stored values
are HU + 1024), window 40 / 400, explicit VR little endian, one series with positions 2.5 mm apart: background
0 HU, a disc of 200 HU per slice. OUT_DIR/discs.txt has one line "K CY CX R" per slice_K.dcm.
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset

EXPLICIT = "1.2.840.10008.1.2.1"
CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
PYDICOM_3 = int(pydicom.__version__.split(".")[0]) >= 3


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rows, cols = 48, 40
    lines = []
    for k in range(5):
        cy, cx, r = 16 + 4 * k, 14 + 3 * k, 7 + k % 3
        y, x = np.mgrid[0:rows, 0:cols]
        hu = np.where((y - cy) ** 2 + (x - cx) ** 2 <= r * r, 200, 0)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT_STORAGE
        meta.MediaStorageSOPInstanceUID = "2.25.31%d" % k
        meta.TransferSyntaxUID = EXPLICIT
        meta.ImplementationClassUID = "2.25.1234567"
        ds = Dataset()
        ds.file_meta = meta
        ds.preamble = b"\0" * 128
        if not PYDICOM_3:
            ds.is_little_endian = True
            ds.is_implicit_VR = False
        ds.SOPClassUID = CT_STORAGE
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.Modality = "CT"
        ds.PatientName = "Test^Discs"
        ds.SeriesInstanceUID = "2.25.313"
        ds.InstanceNumber = k + 1
        ds.ImagePositionPatient = [0.0, 0.0, 2.5 * k]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.PixelSpacing = [0.8, 0.8]
        ds.SliceThickness = 2.5
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = rows
        ds.Columns = cols
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1
        ds.RescaleSlope = 1
        ds.RescaleIntercept = -1024
        ds.WindowCenter = 40
        ds.WindowWidth = 400
        ds.PixelData = (hu + 1024).astype("<i2").tobytes()
        path = os.path.join(out, "slice_%d.dcm" % k)
        if PYDICOM_3:
            ds.save_as(path, implicit_vr=False, little_endian=True, enforce_file_format=True)
        else:
            ds.save_as(path, write_like_original=False)
        lines.append("%d %d %d %d" % (k, cy, cx, r))
    with open(os.path.join(out, "discs.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("ok", pydicom.__version__)


if __name__ == "__main__":
    main()
