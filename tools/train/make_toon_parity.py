#!/usr/bin/env python3
"""Writes the parity reference of the trained toon model, which ToonParityTest checks Java against.

    /usr/bin/python3 tools/train/make_toon_parity.py model/src/main/resources/weights/toon.safetensors \
        model/src/test/resources/dit/toon_parity.safetensors

Rerun it whenever the bundled weights change (the test compares the SHA-256 of the weights it
loads with the one recorded here and says so). The reference is PyTorch's (tools/train/dit.py and
cogvideox_vae.py, float32) for a 2-segment video of world storyboard paragraphs:

* the initial noise, drawn from the request seed exactly as Java's Generator draws it
  (java.util.Random's nextGaussian, written out below), per segment [F, C, h, w];
* one transformer forward at timestep 733 on that noise with the (negative, prompt) text pair;
* 2 DDIM steps with guidance 6: the final latents, and frames FRAMES of the decoded video (the
  VAE decoder, segment by segment with its cache), stored as F16 to keep the file small.
"""
import hashlib
import math
import os
import sys
from collections import OrderedDict

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cogvideox_vae as cv  # noqa: E402
import dit  # noqa: E402

PROMPTS = ["A new scene: a kitchen with blue walls. An orange cat walks to the right. A grey mouse "
           "sleeps.", "The cat jumps on the spot. The mouse runs to the left. The camera pans right."]
NEGATIVES = ["", ""]
SEED = 7
STEPS = 2
GUIDANCE = 6.0
TIMESTEP = 733.0
FRAMES = [0, 8, 16, 24, 25, 36, 48]  # of the 49 frames: the image frame, segment 0, segment 1


class JavaRandom:
    """java.util.Random: the 48-bit LCG, nextDouble and the polar nextGaussian."""

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)
        self.next_gaussian = None

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        r = self.seed >> (48 - bits)
        return r - (1 << bits) if r >= 1 << (bits - 1) and bits == 32 else r

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * 2.0 ** -53

    def gaussian(self):
        if self.next_gaussian is not None:
            g, self.next_gaussian = self.next_gaussian, None
            return g
        while True:
            v1, v2 = 2 * self.next_double() - 1, 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        m = math.sqrt(-2 * math.log(s) / s)
        self.next_gaussian = v2 * m
        return v1 * m


def main(weights_path, dst):
    torch.set_num_threads(2)
    cfg = dit.ModelConfig.toon()
    tensors, meta = dit.read_safetensors(weights_path)
    with open(weights_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    model = dit.VideoModel(cfg)
    dit.load_state(model, {k: v for k, v in tensors.items() if not k.startswith("decoder.")}, strict=True)
    model.eval()
    vae = cv.CausalVae(vae_config(meta))
    vae.decoder.load_state_dict({k[len("decoder."):]: torch.from_numpy(v.astype(np.float32))
                                 for k, v in tensors.items() if k.startswith("decoder.")}, strict=True)
    vae.eval()
    scaling = float(meta["vae_scaling_factor"])

    rnd = JavaRandom(SEED)
    noise = []
    for s in range(2):
        shape = (cfg.frames_of(s), cfg.latent_channels, cfg.latent_height, cfg.latent_width)
        n = int(np.prod(shape))
        noise.append(torch.tensor([rnd.gaussian() for _ in range(n)], dtype=torch.float64)
                     .to(torch.float32).reshape(shape))
    out = OrderedDict()
    with torch.no_grad():
        text = [model.encode_text(dit.tokenize_batch(cfg, [NEGATIVES[s], PROMPTS[s]])) for s in range(2)]
        forward = model([x[None].expand(2, *x.shape) for x in noise], text, TIMESTEP)
        latents, frames = dit.sample(model, PROMPTS, NEGATIVES, noise, STEPS, GUIDANCE, vae=vae,
                                     scaling_factor=scaling)
    video = torch.cat(frames, 0)
    for s in range(2):
        out[f"toon.noise.{s}"] = noise[s].numpy()
        out[f"toon.forward.{s}"] = forward[s].numpy()
        out[f"toon.latents.{s}"] = latents[s].numpy()
    out["toon.frames"] = video[FRAMES].numpy()
    dtypes = {"toon.frames": "F16"}
    md = {"weights_sha256": sha, "seed": str(SEED), "steps": str(STEPS), "guidance": str(GUIDANCE),
          "timestep": str(TIMESTEP), "frames": ",".join(map(str, FRAMES)),
          "reference": "PyTorch " + torch.__version__ + " (tools/train/dit.py, cogvideox_vae.py), float32"}
    for s in range(2):
        md[f"prompt.{s}"] = PROMPTS[s]
        md[f"negative.{s}"] = NEGATIVES[s]
    dit.write_safetensors(dst, out, md, dtypes=dtypes)
    print(f"wrote {dst} ({os.path.getsize(dst)} bytes), {video.shape[0]} frames decoded, weights {sha[:16]}")


def vae_config(meta):
    """The toon VAE's configuration (ModelPresets.TOON_VAE), with the file's scaling factor."""
    cfg = dict(cv.DEFAULT_CONFIG)
    cfg["scaling_factor"] = float(meta["vae_scaling_factor"])
    return cfg


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
