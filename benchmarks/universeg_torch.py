#!/usr/bin/python3
"""UniverSeg v1 in PyTorch, written for icl-sam-java's side-by-side anchor (benchmarks/run-universeg-anchor.sh).

The network is built from the architecture as docs/METHOD.md describes it ("UniverSeg, the paper's in-context
model"); its parameter names are those of the official checkpoint (universeg_v1_nf64_ss64_STA.pt, a state dict), so
that a state dict saved here loads into the official model and into the SDK's UniverSegModel alike:

  enc_blocks.{0..3}.cross.cross_conv.{weight,bias}, enc_blocks.{i}.{target,support}.vmapped.conv.{weight,bias},
  dec_blocks.{0..2}.(same), out_conv.conv.{weight,bias}

Commands (Debian's python3 with python3-torch and python3-numpy):
  universeg_torch.py write CHECKPOINT DIR SEED S_MAX
      random weights (PyTorch's default initialisation, the head shifted and scaled so that the logits have a mean
      of about 0 and a standard deviation of about 2, and the probabilities do not saturate) saved with torch.save(state_dict), and seeded
      inputs in DIR: target.npy [128, 128], images.npy and labels.npy [S_MAX, 128, 128]. Every image holds an exact 0
      and an exact 1, so that UniverSeg's min-max preprocessing leaves it unchanged.
  universeg_torch.py serve CHECKPOINT DIR THREADS
      loads both and answers one command per line on stdin: "time S" (one forward pass on the first S support
      items; prints its wall seconds), "logits S FILE" (saves the 128 x 128 logits as .npy; prints "ok"), "quit".
"""
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

SIZE = 128
WIDTH = 64
LEAKY_SLOPE = 0.01


class _Conv(nn.Module):
    """A convolution stored under the key 'conv', as the checkpoint names the per-item convolutions."""

    def __init__(self, cin, cout, kernel):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, padding=kernel // 2)


class _PerItem(nn.Module):
    """The same convolution + LeakyReLU applied to every item of a [B, N, C, H, W] tensor ('vmapped' in the keys)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.vmapped = _Conv(cin, cout, 3)

    def forward(self, x):
        b, n = x.shape[:2]
        y = self.vmapped.conv(x.reshape(b * n, *x.shape[2:]))
        y = F.leaky_relu(y, LEAKY_SLOPE)
        return y.reshape(b, n, *y.shape[1:])


class _Cross(nn.Module):
    """For every support item: a 3x3 convolution of the target's channels followed by the item's; no nonlinearity."""

    def __init__(self, cin_target, cin_support, cout):
        super().__init__()
        self.cross_conv = nn.Conv2d(cin_target + cin_support, cout, 3, padding=1)

    def forward(self, target, support):
        b, s = support.shape[:2]
        pairs = torch.cat([target.expand(b, s, *target.shape[2:]), support], dim=2)
        y = self.cross_conv(pairs.reshape(b * s, *pairs.shape[2:]))
        return y.reshape(b, s, *y.shape[1:])


class _Block(nn.Module):
    """A CrossBlock: the cross convolution, the new target as the mean over the support, then per-item convolutions."""

    def __init__(self, cin_target, cin_support, width):
        super().__init__()
        self.cross = _Cross(cin_target, cin_support, width)
        self.target = _PerItem(width, width)
        self.support = _PerItem(width, width)

    def forward(self, target, support):
        interaction = self.cross(target, support)
        target = interaction.mean(dim=1, keepdim=True)
        return self.target(target), self.support(interaction)


def _per_item(fn, x):
    b, n = x.shape[:2]
    y = fn(x.reshape(b * n, *x.shape[2:]))
    return y.reshape(b, n, *y.shape[1:])


class UniverSegV1(nn.Module):
    """Four encoder blocks (2x2 max pooling between), three decoder blocks on concat(bilinear x2 align-corners
    upsampling, skip), a 1x1 head. target [B, 1, H, W], support images and labels [B, S, 1, H, W] -> [B, 1, H, W]."""

    def __init__(self, width=WIDTH):
        super().__init__()
        self.enc_blocks = nn.ModuleList([_Block(1, 2, width)] + [_Block(width, width, width) for _ in range(3)])
        self.dec_blocks = nn.ModuleList([_Block(2 * width, 2 * width, width) for _ in range(3)])
        self.out_conv = _Conv(width, 1, 1)

    def forward(self, target_image, support_images, support_labels):
        target = target_image.unsqueeze(1)
        support = torch.cat([support_images, support_labels], dim=2)
        skips = []
        for i, block in enumerate(self.enc_blocks):
            target, support = block(target, support)
            if i < len(self.enc_blocks) - 1:
                skips.append((target, support))
                target = _per_item(lambda x: F.max_pool2d(x, 2), target)
                support = _per_item(lambda x: F.max_pool2d(x, 2), support)
        up = lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)
        for block in self.dec_blocks:
            target_skip, support_skip = skips.pop()
            target = torch.cat([_per_item(up, target), target_skip], dim=2)
            support = torch.cat([_per_item(up, support), support_skip], dim=2)
            target, support = block(target, support)
        return self.out_conv.conv(target.squeeze(1))


def _inputs(rng, n):
    x = rng.random((n, SIZE, SIZE), dtype=np.float32)
    x[:, 0, 0] = 0.0
    x[:, 0, 1] = 1.0
    return x


def write(checkpoint, folder, seed, s_max):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    target = _inputs(rng, 1)[0]
    images = _inputs(rng, s_max)
    labels = (rng.random((s_max, SIZE, SIZE)) > 0.5).astype(np.float32)
    model = UniverSegV1().eval()
    with torch.inference_mode():
        logits = model(*_tensors(target, images[:4], labels[:4]))
        scale = 2.0 / max(float(logits.std()), 1e-6)
        model.out_conv.conv.weight.mul_(scale)
        model.out_conv.conv.bias.sub_(float(logits.mean())).mul_(scale)
    torch.save(model.state_dict(), checkpoint)
    np.save(f"{folder}/target.npy", target)
    np.save(f"{folder}/images.npy", images)
    np.save(f"{folder}/labels.npy", labels)


def _tensors(target, images, labels):
    return (torch.from_numpy(np.ascontiguousarray(target))[None, None],
            torch.from_numpy(np.ascontiguousarray(images))[None, :, None],
            torch.from_numpy(np.ascontiguousarray(labels))[None, :, None])


def serve(checkpoint, folder, threads):
    torch.set_num_threads(threads)
    model = UniverSegV1().eval()
    model.load_state_dict(torch.load(checkpoint), strict=True)
    target = np.load(f"{folder}/target.npy")
    images = np.load(f"{folder}/images.npy")
    labels = np.load(f"{folder}/labels.npy")
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        s = int(cmd[1])
        inputs = _tensors(target, images[:s], labels[:s])
        with torch.inference_mode():
            t0 = time.perf_counter()
            out = model(*inputs)
            elapsed = time.perf_counter() - t0
        if cmd[0] == "time":
            print(f"{elapsed:.6f}", flush=True)
        elif cmd[0] == "logits":
            np.save(cmd[2], out[0, 0].numpy())
            print("ok", flush=True)
        else:
            print(f"error unknown command {cmd[0]}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) == 5 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
