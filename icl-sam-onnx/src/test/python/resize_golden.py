#!/usr/bin/python3
"""Writes the golden resize outputs that ResamplerTest compares with (an independent reference).

Run with Debian's python3 (python3-pil, python3-torch):
    /usr/bin/python3 icl-sam-onnx/src/test/python/resize_golden.py > \
        icl-sam-onnx/src/test/resources/org/iclsam/onnx/internal/resize-golden.txt

The input is the same formula as ResamplerTest.input(h, w): v = (y * 37 + x * 91 + (x * y) % 23) % 256.
Lines: "<kind> <h> <w> <oh> <ow>" then one line of the oh*ow outputs, row-major.
kind: pil-bilinear, pil-bicubic (8-bit, PIL Image.resize), torch-aa-bilinear (float, v/255, antialias=True),
torch-bilinear (float, v/255, antialias=False: SAM 2's upsampling of its low-resolution masks).
"""
import numpy as np
from PIL import Image
import torch
import torch.nn.functional as F


def inp(h, w):
    y, x = np.mgrid[0:h, 0:w]
    return ((y * 37 + x * 91 + (x * y) % 23) % 256).astype(np.uint8)


CASES = [(37, 53, 20, 29), (37, 53, 61, 90), (16, 16, 16, 40), (50, 13, 7, 13), (9, 11, 1024, 1024)]
for (h, w, oh, ow) in CASES:
    a = inp(h, w)
    for name, flt in (("pil-bilinear", Image.BILINEAR), ("pil-bicubic", Image.BICUBIC)):
        r = np.array(Image.fromarray(a).resize((ow, oh), flt))
        if oh * ow > 5000:
            r = r[::97, ::89]  # subsample big outputs; the Java test applies the same stride
        print(name, h, w, oh, ow)
        print(" ".join(str(int(v)) for v in r.ravel()))
    t = torch.from_numpy(a.astype(np.float32) / 255.0)[None, None]
    r = F.interpolate(t, size=(oh, ow), mode="bilinear", align_corners=False, antialias=True)[0, 0].numpy()
    if oh * ow > 5000:
        r = r[::97, ::89]
    print("torch-aa-bilinear", h, w, oh, ow)
    print(" ".join(repr(float(v)) for v in r.ravel()))
    r = F.interpolate(t, size=(oh, ow), mode="bilinear", align_corners=False)[0, 0].numpy()
    if oh * ow > 5000:
        r = r[::97, ::89]
    print("torch-bilinear", h, w, oh, ow)
    print(" ".join(repr(float(v)) for v in r.ravel()))
