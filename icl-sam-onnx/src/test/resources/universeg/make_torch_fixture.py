"""Generator of the PyTorch-written UniverSeg test fixtures (run with Debian's python3-torch, 1.13):

    /usr/bin/python3 make_torch_fixture.py   # in this folder

Writes
  universeg_v1_nf3_torch.pt        a width-3 UniverSeg v1 state dict saved by torch.save from nn.Modules
                                   whose names follow JJGO/UniverSeg (so _metadata and PyTorch's own pickle
                                   are exercised), random weights;
  universeg_v1_nf3_torch_cases.pt  test vectors: inputs and the logits of a PyTorch forward pass of
                                   UniverSeg v1 with ICL-SAM's confidence injection, written here from the
                                   architecture description in docs/METHOD.md (not from the ONNX graph).
The Java tests read both with the SDK's own safe reader and compare the ONNX graph with these logits.
"""
import collections

import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTH = 3
S = 3
SIZE = 128
ALPHAS = [0.0, 0.3]
LEAKY = 0.01


class Named(nn.Module):
    """A container whose attribute names give the official state-dict keys."""


def conv(cin, cout, k=3):
    return nn.Conv2d(cin, cout, k, padding=k // 2)


def block(cin, width):
    b = Named()
    b.cross = Named()
    b.cross.cross_conv = conv(cin, width)
    for side in ("target", "support"):
        s = Named()
        s.vmapped = Named()
        s.vmapped.conv = conv(width, width)
        setattr(b, side, s)
    return b


def build(width):
    m = Named()
    m.enc_blocks = nn.ModuleList([block(3 if i == 0 else 2 * width, width) for i in range(4)])
    m.dec_blocks = nn.ModuleList([block(4 * width, width) for _ in range(3)])
    m.out_conv = Named()
    m.out_conv.conv = conv(width, 1, k=1)
    return m


def cross_block(sd, prefix, t, s):
    """t: [1, Ct, H, W]; s: [S, Cs, H, W]. Every (target, support_j) pair through the cross conv."""
    pairs = torch.cat([t.expand(s.shape[0], -1, -1, -1), s], dim=1)
    inter = F.conv2d(pairs, sd[prefix + ".cross.cross_conv.weight"], sd[prefix + ".cross.cross_conv.bias"], padding=1)
    t_new = inter.mean(dim=0, keepdim=True)
    t_new = F.leaky_relu(F.conv2d(t_new, sd[prefix + ".target.vmapped.conv.weight"],
                                  sd[prefix + ".target.vmapped.conv.bias"], padding=1), LEAKY)
    s_new = F.leaky_relu(F.conv2d(inter, sd[prefix + ".support.vmapped.conv.weight"],
                                  sd[prefix + ".support.vmapped.conv.bias"], padding=1), LEAKY)
    return t_new, s_new


def forward(sd, target, images, labels, a, alpha):
    t = target.reshape(1, 1, SIZE, SIZE)
    s = torch.cat([images.reshape(-1, 1, SIZE, SIZE), labels.reshape(-1, 1, SIZE, SIZE)], dim=1)
    skips = []
    for i in range(4):
        t, s = cross_block(sd, "enc_blocks.%d" % i, t, s)
        if i < 3:
            skips.append((t, s))
            t, s = F.max_pool2d(t, 2), F.max_pool2d(s, 2)
    for i in range(3):
        ts, ss = skips.pop()
        up = lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)
        t = torch.cat([up(t), ts], dim=1)
        s = torch.cat([up(s), ss], dim=1)
        level = s.shape[-1]
        a_l = F.interpolate(a[None, None], size=(level, level), mode="bilinear", align_corners=False)
        weighted = s * torch.exp(alpha * a_l)
        s = weighted * (torch.linalg.norm(s) / torch.linalg.norm(weighted))
        t, s = cross_block(sd, "dec_blocks.%d" % i, t, s)
    return F.conv2d(t, sd["out_conv.conv.weight"], sd["out_conv.conv.bias"])[0, 0]


def main():
    torch.manual_seed(20240607)
    model = build(WIDTH)
    for p in model.parameters():
        nn.init.normal_(p, std=0.1 if p.dim() == 1 else (2.0 / (p.shape[1] * p.shape[2] * p.shape[3])) ** 0.5)
    torch.save(model.state_dict(), "universeg_v1_nf3_torch.pt")
    sd = torch.load("universeg_v1_nf3_torch.pt", weights_only=True)

    target = torch.rand(SIZE, SIZE).half()
    images = torch.rand(S, SIZE, SIZE).half()
    labels = torch.zeros(S, SIZE, SIZE, dtype=torch.uint8)
    for j in range(S):
        y0, x0 = 10 + 20 * j, 30 + 10 * j
        labels[j, y0:y0 + 40, x0:x0 + 50] = 1
    a = torch.randn(40, 52)
    cases = collections.OrderedDict()
    cases["target"] = target
    cases["support_images"] = images
    cases["support_labels"] = labels
    cases["confidence"] = a
    with torch.no_grad():
        for alpha in ALPHAS:
            cases["logits_alpha_%g" % alpha] = forward(sd, target.float(), images.float(), labels.float(), a,
                                                       alpha).contiguous()
    torch.save(cases, "universeg_v1_nf3_torch_cases.pt")


if __name__ == "__main__":
    main()
