# Reference surface metrics with scipy (the way MedPy and MONAI compute them), for ScipyReferenceTest.
# Input: a text file; each case is "h w sx sy" then h lines of prediction then h lines of ground truth (0/1 chars).
# Output per case: "assd_pooled assd_directed hd95_max hd95_pooled hausdorff" or "undefined".
import sys
import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt, generate_binary_structure

def directed(a, b, sampling):
    cross = generate_binary_structure(2, 1)
    sa = a ^ binary_erosion(a, structure=cross, iterations=1)
    sb = b ^ binary_erosion(b, structure=cross, iterations=1)
    dt = distance_transform_edt(~sb, sampling=sampling)
    return dt[sa]

lines = open(sys.argv[1]).read().split("\n")
i = 0
out = []
while i < len(lines) and lines[i].strip():
    h, w, sx, sy = lines[i].split()
    h, w, sx, sy = int(h), int(w), float(sx), float(sy)
    p = np.array([[c == "1" for c in lines[i + 1 + r]] for r in range(h)])
    g = np.array([[c == "1" for c in lines[i + 1 + h + r]] for r in range(h)])
    i += 1 + 2 * h
    if not p.any() or not g.any():
        out.append("undefined")
        continue
    a = directed(p, g, (sy, sx))
    b = directed(g, p, (sy, sx))
    both = np.hstack((a, b))
    out.append(" ".join(repr(float(v)) for v in (
        both.mean(), (a.mean() + b.mean()) / 2, max(np.percentile(a, 95), np.percentile(b, 95)),
        np.percentile(both, 95), max(a.max(), b.max()))))
print("\n".join(out))
