#!/usr/bin/env python3
"""The committed reference of the Java VAE decoder (CausalVaeDecoderTest), from cogvideox_vae.py.

    /usr/bin/python3 tools/train/make_vae_reference.py model/src/test/resources/decode

A seeded miniature VAE (3 levels: 4, 8, 8 channels, 2 latent channels, 2 groups, time compressed
2x by the first up block only) with its biases and norms randomised too, decoding two chunks of a
video with the cache: 3 latent frames (the video's start: 1 + 2 x 2 = 5 frames), then 2 (4
frames). Writes vae_reference.safetensors (fp32: the decoder's tensors, `latents` [5, 2, 2, 3]
scaled as the DiT would give them, `frames.0` [5, 8, 12, 3] and `frames.1` [4, 8, 12, 3] as RGB in
[0, 1]) and vae_reference_config.json.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cogvideox_vae as cv  # noqa: E402
import safetensors_np  # noqa: E402

CONFIG = {
    "in_channels": 3, "out_channels": 3, "latent_channels": 2, "block_out_channels": [4, 8, 8],
    "layers_per_block": 1, "norm_num_groups": 2, "norm_eps": 1e-6, "temporal_compression_ratio": 2,
    "scaling_factor": 0.5,
}


def main(out):
    torch.manual_seed(7)
    vae = cv.CausalVae(CONFIG)
    with torch.no_grad():
        for name, p in vae.decoder.named_parameters():
            p.copy_(torch.randn_like(p) * (0.12 if p.dim() > 1 else 0.2) + (1.0 if name.endswith("norm_layer.weight") else 0.0))
    z = torch.randn(1, 2, 5, 2, 3)  # unscaled latents [B, C, F, h, w]
    cache = {}
    with torch.no_grad():
        f0 = vae.decode_chunk(z[:, :, :3], True, cache)
        f1 = vae.decode_chunk(z[:, :, 3:], False, cache)

    def rgb(x):  # [1, 3, T, H, W] in [-1, 1] -> [T, H, W, 3] in [0, 1]
        return ((x[0].permute(1, 2, 3, 0) + 1) / 2).clamp(0, 1).numpy().astype(np.float32)

    tensors = {"decoder." + k: v.numpy().astype(np.float32) for k, v in vae.decoder.state_dict().items()}
    tensors["latents"] = (z[0].permute(1, 0, 2, 3) * CONFIG["scaling_factor"]).numpy().astype(np.float32)
    tensors["frames.0"] = rgb(f0)
    tensors["frames.1"] = rgb(f1)
    os.makedirs(out, exist_ok=True)
    safetensors_np.save(os.path.join(out, "vae_reference.safetensors"), tensors,
                        {"made_by": "tools/train/make_vae_reference.py"})
    cv.save_config(CONFIG, os.path.join(out, "vae_reference_config.json"))
    print("frames", tensors["frames.0"].shape, tensors["frames.1"].shape,
          "mean", float(tensors["frames.0"].mean()), float(tensors["frames.1"].mean()))


if __name__ == "__main__":
    main(sys.argv[1])
