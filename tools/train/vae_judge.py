#!/usr/bin/env python3
"""Stage 0's reconstruction test: held-out videos through the autoencoder, as MP4s the judge reads.

    ./ttt-video shards -o out/toon-eval --train 1 --held-out 20 --min-segments 21 --max-segments 21 \
        --per-shard 4 --mp4 20
    /usr/bin/python3 tools/train/vae_judge.py --data out/toon-eval --vae tools/train/runs/stage0 \
        --out out/vae-judge --videos 8
    ./ttt-video judge out/vae-judge          # the reconstructions
    ./ttt-video judge out/toon-eval/mp4/held_out   # the same videos as rendered

Each held-out video is encoded and decoded segment by segment with the caches (as the DiT's
latents are made and as Java decodes them), the decoded first frame (the image frame the first
latent stands for) is dropped so that frame k is the rendered frame k, and the result is written
as OUT/NAME.mp4 (H.264 through the ffmpeg command line, 8 fps) beside a copy of the storyboard the
shards command wrote for it (NAME.txt). Prints the PSNR of each video and their mean, over all
frames (8-bit, before H.264).
"""
import argparse
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toonworld"))
import cogvideox_vae as cv  # noqa: E402
from encode_latents import FIRST_LATENTS, LATENTS_PER_SEGMENT, load_vae  # noqa: E402
from read_shards import examples, manifest  # noqa: E402


def reconstruct(model, cfg, frames):
    """uint8 [24 S, H, W, 3] -> uint8 [24 S, H, W, 3] through the VAE, segment by segment."""
    tc = cfg["temporal_compression_ratio"]
    segments = frames.shape[0] // (tc * LATENTS_PER_SEGMENT)
    video = np.concatenate([frames[:1], frames], axis=0)
    x = torch.from_numpy(video).float().div_(127.5).sub_(1.0).permute(3, 0, 1, 2).unsqueeze(0)
    lat, pix = cv.segment_chunks(segments, FIRST_LATENTS, LATENTS_PER_SEGMENT, tc)
    with torch.no_grad():
        y = model.decode_video(model.encode_video(x, pix), lat)[0]  # [3, 1 + 24 S, H, W]
    out = ((y.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(1, 2, 3, 0).numpy()
    return out[1:]


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * math.log10(255.0 ** 2 / max(mse, 1e-10))


def write_mp4(path, frames, fps):
    n, h, w, _ = frames.shape
    cmd = ["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
           "-r", str(fps), "-i", "-", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", path]
    subprocess.run(cmd, input=np.ascontiguousarray(frames).tobytes(), check=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="a shards folder written with --mp4 (storyboards beside)")
    p.add_argument("--vae", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--videos", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model, cfg = load_vae(a.vae)
    fps = manifest(a.data).get("fps", 8)
    os.makedirs(a.out, exist_ok=True)
    scores = []
    for k, (meta, frames) in enumerate(examples(a.data, "held_out")):
        if k >= a.videos:
            break
        name = meta["id"]
        board = os.path.join(a.data, "mp4", "held_out", name + ".txt")
        if not os.path.exists(board):
            raise SystemExit(f"no storyboard {board}: write the shards with --mp4 of at least {a.videos}")
        rec = reconstruct(model, cfg, frames)
        scores.append(psnr(rec, frames[: rec.shape[0]]))
        write_mp4(os.path.join(a.out, name + ".mp4"), rec, fps)
        shutil.copy(board, os.path.join(a.out, name + ".txt"))
        print(f"{name}: {meta['segments']} segments, PSNR {scores[-1]:.2f} dB", flush=True)
    print(f"mean PSNR over {len(scores)} videos: {np.mean(scores):.2f} dB", flush=True)


if __name__ == "__main__":
    main()
