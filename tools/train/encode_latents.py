#!/usr/bin/env python3
"""Encode ToonWorld shards into the DiT's latents with a stage-0 autoencoder. Resumable per shard.

    /usr/bin/python3 tools/train/encode_latents.py --data out/toon-ae --vae tools/train/runs/stage0 \
        --out out/latents/toon-ae

A video of S segments (24 S frames) is encoded as the DiT sees it: its first frame twice (the
image frame the first latent decodes to), then chunk by chunk with the encoder's cache, one chunk
per segment (25 frames -> 4 latents, then 24 -> 3 each), so 4 + 3 (S - 1) latent frames. The
latents are the posterior means times the VAE's scaling_factor (the DiT works on scaled latents;
the Java decoder divides by it). For each input shard OUT/SPLIT/shard-NNNNN.npz holds
latents_KKKKK [F, C, h, w] float16 and OUT/SPLIT/shard-NNNNN.jsonl the example's metadata (id,
segments, scene starts, the three storyboard formats, the world spec) in the same order. A shard
whose two files exist is skipped, so an interrupted run continues where it stopped.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toonworld"))
import cogvideox_vae as cv  # noqa: E402
import safetensors_np  # noqa: E402
from read_shards import manifest  # noqa: E402

FIRST_LATENTS, LATENTS_PER_SEGMENT = 4, 3


def load_vae(run):
    cfg = cv.load_config(os.path.join(run, "vae_config.json"))
    model = cv.CausalVae(cfg)
    tensors, _ = safetensors_np.load(os.path.join(run, "vae.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items()}, strict=True)
    model.eval()
    return model, cfg


def encode(model, cfg, frames):
    """uint8 [24 S, H, W, 3] -> float32 [4 + 3 (S - 1), C, h, w], scaled."""
    per = cfg["temporal_compression_ratio"] * LATENTS_PER_SEGMENT
    segments = frames.shape[0] // per
    video = np.concatenate([frames[:1], frames[: segments * per]], axis=0)
    x = torch.from_numpy(video).float().div_(127.5).sub_(1.0).permute(3, 0, 1, 2).unsqueeze(0)
    _, pix = cv.segment_chunks(segments, FIRST_LATENTS, LATENTS_PER_SEGMENT, cfg["temporal_compression_ratio"])
    with torch.no_grad():
        z = model.encode_video(x, pix)[0]  # [C, F, h, w]
    return (z * cfg["scaling_factor"]).permute(1, 0, 2, 3).contiguous().numpy()


KEEP = ("id", "seed", "split", "segments", "sceneStarts", "format1", "format2", "format3", "worldSpec")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="a folder the shards command wrote")
    p.add_argument("--vae", required=True, help="a stage-0 run folder (vae.safetensors, vae_config.json)")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model, cfg = load_vae(a.vae)
    m = manifest(a.data)
    total, t0 = 0, time.time()
    for split, info in m["splits"].items():
        os.makedirs(os.path.join(a.out, split), exist_ok=True)
        for shard in info["shards"]:
            name = os.path.basename(shard)[: -len(".npz")]
            npz_out = os.path.join(a.out, split, name + ".npz")
            jsonl_out = os.path.join(a.out, split, name + ".jsonl")
            if os.path.exists(npz_out) and os.path.exists(jsonl_out):
                continue
            src = os.path.join(a.data, shard)
            with open(src[: -len(".npz")] + ".jsonl", encoding="utf-8") as f:
                metas = [json.loads(line) for line in f if line.strip()]
            arrays, lines = {}, []
            with np.load(src) as npz:
                for k, meta in enumerate(metas):
                    z = encode(model, cfg, npz[meta["frames"]])
                    arrays[f"latents_{k:05d}"] = z.astype(np.float16)
                    lines.append(json.dumps({**{key: meta[key] for key in KEEP if key in meta},
                                             "latents": f"latents_{k:05d}"}, separators=(",", ":")))
                    total += 1
            np.savez(npz_out + ".tmp.npz", **arrays)
            with open(jsonl_out + ".tmp", "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            os.replace(npz_out + ".tmp.npz", npz_out)
            os.replace(jsonl_out + ".tmp", jsonl_out)
            print(f"{split}/{name}: {len(metas)} videos, {total} so far, {time.time() - t0:.0f} s", flush=True)
    with open(os.path.join(a.out, "latents.json"), "w", encoding="utf-8") as f:
        json.dump({"vae": os.path.basename(os.path.normpath(a.vae)), "scaling_factor": cfg["scaling_factor"],
                   "first_latents": FIRST_LATENTS, "latents_per_segment": LATENTS_PER_SEGMENT,
                   "latent_channels": cfg["latent_channels"],
                   "source": {k: m[k] for k in ("width", "height", "fps", "framesPerSegment") if k in m}}, f, indent=2)
        f.write("\n")


def examples(root, split):
    """Yields (meta, latents [F, C, h, w] float32) for every encoded example of `split`."""
    folder = os.path.join(root, split)
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".jsonl")):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            metas = [json.loads(line) for line in f if line.strip()]
        with np.load(os.path.join(folder, name[: -len(".jsonl")] + ".npz")) as npz:
            for meta in metas:
                yield meta, npz[meta["latents"]].astype(np.float32)


if __name__ == "__main__":
    main()
