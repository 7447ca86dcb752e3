#!/usr/bin/env python3
"""Stage 0: train the causal 3D autoencoder (cogvideox_vae.py) on ToonWorld clips. Resumable.

    ./ttt-video shards -o out/toon-ae --train 512 --held-out 32 --min-segments 2 --max-segments 3 \
        --per-shard 64 --mp4 0
    /usr/bin/python3 tools/train/train_vae.py --data out/toon-ae --run out/train/stage0 --steps 900

Every sample is the first two segments of a training video as the model sees a video: the first
frame twice (the image frame that the first latent decodes to, then the video), so 1 + 48 frames,
encoded and decoded as two chunks with the cache (25 frames <-> 4 latents, then 24 <-> 3), exactly
the DiT's first two segments. A random 64 x 96 crop on the 8-pixel grid and a random mirror make
the samples cheap and varied. Loss: L1 + MSE on pixels in [-1, 1] plus a small KL on the
posterior (sampled in training, its mean at inference). Checkpoints every --save-every steps to
RUN/checkpoint.pt (model, AdamW, step, RNG); losses appended to RUN/losses.csv. --export writes
RUN/vae.safetensors (fp16, diffusers names) and RUN/vae_config.json with the scaling factor
(1 / std of the latent means over held-out clips, as CogVideoX's scaling_factor). --init DIR
starts a new run from DIR/vae.safetensors (an earlier run's export), with a fresh optimiser and
learning-rate schedule.
"""
import argparse
import csv
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toonworld"))
import cogvideox_vae as cv  # noqa: E402
import safetensors_np  # noqa: E402
from read_shards import examples  # noqa: E402

CLIP = 48  # two segments of the world
CHUNK_PIXELS = [25, 24]
CHUNK_LATENTS = [4, 3]


def load_clips(root, split, limit=None):
    clips = []
    for meta, frames in examples(root, split):
        if frames.shape[0] >= CLIP:
            clips.append(np.concatenate([frames[:1], frames[:CLIP]], axis=0))  # [49, H, W, 3]
        if limit and len(clips) >= limit:
            break
    return np.stack(clips)


def to_tensor(batch):
    """uint8 [B, T, H, W, 3] -> float [B, 3, T, H, W] in [-1, 1]."""
    x = torch.from_numpy(batch).float().div_(127.5).sub_(1.0)
    return x.permute(0, 4, 1, 2, 3).contiguous()


def sample_batch(clips, rng, batch, crop_h, crop_w):
    n, _, h, w, _ = clips.shape
    out = []
    for _ in range(batch):
        i = rng.integers(n)
        y = 8 * rng.integers((h - crop_h) // 8 + 1)
        x = 8 * rng.integers((w - crop_w) // 8 + 1)
        c = clips[i, :, y:y + crop_h, x:x + crop_w]
        if rng.random() < 0.5:
            c = c[:, :, ::-1]
        out.append(c)
    return to_tensor(np.ascontiguousarray(np.stack(out)))


def losses(model, x, kl_weight, sample):
    cache, means, logvars, at = {}, [], [], 0
    for i, n in enumerate(CHUNK_PIXELS):
        m, lv = model.encode_chunk(x[:, :, at:at + n], i == 0, cache)
        means.append(m)
        logvars.append(lv)
        at += n
    mean, logvar = torch.cat(means, 2), torch.cat(logvars, 2)
    z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean) if sample else mean
    y = model.decode_video(z, CHUNK_LATENTS)
    l1 = (y - x).abs().mean()
    mse = ((y - x) ** 2).mean()
    kl = 0.5 * (mean ** 2 + logvar.exp() - 1.0 - logvar).mean()
    return l1 + mse + kl_weight * kl, l1, mse, kl, y


def psnr(y, x):
    """PSNR in dB of pixels in [-1, 1], after clamping and 8-bit rounding as a video would have."""
    a = ((y.clamp(-1, 1) + 1) * 127.5).round()
    b = ((x + 1) * 127.5).round()
    mse = ((a - b) ** 2).mean().item()
    return 10 * math.log10(255.0 ** 2 / max(mse, 1e-10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--steps", type=int, default=900)
    p.add_argument("--batch", type=int, default=3)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--kl-weight", type=float, default=1e-4)
    p.add_argument("--crop", type=int, nargs=2, default=[64, 96])
    p.add_argument("--save-every", type=int, default=25)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--init", help="a run folder whose vae.safetensors starts a new run (not a resume: fresh AdamW and schedule)")
    p.add_argument("--export", action="store_true", help="write the fp16 weights and config, then stop")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.run, exist_ok=True)
    ckpt_path = os.path.join(a.run, "checkpoint.pt")

    torch.manual_seed(a.seed)
    model = cv.CausalVae()
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.0, betas=(0.9, 0.99))
    step, wall, rng = 0, 0.0, np.random.default_rng(a.seed)
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, wall = ck["step"], ck["wall"]
        rng.bit_generator.state = ck["rng"]
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed at step {step} ({wall / 60:.1f} min so far)", flush=True)
    elif a.init:
        tensors, _ = safetensors_np.load(os.path.join(a.init, "vae.safetensors"))
        model.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items()}, strict=True)
        print(f"started from {a.init}'s weights", flush=True)

    held = load_clips(a.data, "held_out", limit=8)
    if a.export:
        export(model, held, a.run)
        return
    train = load_clips(a.data, "train")
    print(f"{len(train)} training clips, {len(held)} held-out; step {step} of {a.steps}", flush=True)
    log_path = os.path.join(a.run, "losses.csv")
    truncate_log(log_path, step)
    new_log = not os.path.exists(log_path)
    log = open(log_path, "a", newline="")
    w = csv.writer(log)
    if new_log:
        w.writerow(["step", "samples", "wall_s", "lr", "loss", "l1", "mse", "kl", "heldout_psnr"])

    def lr_at(s):
        warm = 30
        if s < warm:
            return a.lr * (s + 1) / warm
        return a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, a.steps - warm))))

    model.train()
    while step < a.steps:
        t0 = time.time()
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        x = sample_batch(train, rng, a.batch, *a.crop)
        loss, l1, mse, kl, _ = losses(model, x, a.kl_weight, sample=True)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        wall += time.time() - t0
        hp = ""
        if step % a.save_every == 0 or step == a.steps:
            with torch.no_grad():
                model.eval()
                xh = sample_batch(held, np.random.default_rng(1234), 4, *a.crop)
                _, _, _, _, yh = losses(model, xh, a.kl_weight, sample=False)
                hp = f"{psnr(yh, xh):.2f}"
                model.train()
        w.writerow([step, step * a.batch, f"{wall:.1f}", f"{lr_at(step - 1):.2e}", f"{loss.item():.5f}",
                    f"{l1.item():.5f}", f"{mse.item():.5f}", f"{kl.item():.4f}", hp])
        log.flush()
        if hp:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "wall": wall,
                        "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state()}, ckpt_path + ".tmp")
            os.replace(ckpt_path + ".tmp", ckpt_path)
            print(f"step {step}: loss {loss.item():.4f} l1 {l1.item():.4f} kl {kl.item():.2f} "
                  f"held-out crop PSNR {hp} dB, {wall / 60:.1f} min", flush=True)
    log.close()
    export(model, held, a.run)


def export(model, held, run):
    """fp16 weights with diffusers names, and the config with the measured scaling factor."""
    model.eval()
    with torch.no_grad():
        x = to_tensor(held[:4])
        z = model.encode_video(x, CHUNK_PIXELS)
        y = model.decode_video(z, CHUNK_LATENTS)
        full = psnr(y, x)
        std = z.std().item()
    cfg = dict(model.cfg)
    cfg["scaling_factor"] = round(1.0 / std, 6)
    cv.save_config(cfg, os.path.join(run, "vae_config.json"))
    tensors = {k: v.detach().numpy().astype(np.float16) for k, v in model.state_dict().items()}
    safetensors_np.save(os.path.join(run, "vae.safetensors"), tensors, {"format": "pt"})
    print(f"exported: held-out full-frame PSNR {full:.2f} dB over 4 clips, latent std {std:.4f}, "
          f"scaling_factor {cfg['scaling_factor']}", flush=True)


def truncate_log(path, step):
    """Drops the rows after `step` (logged after the checkpoint a resumed run starts from) and,
    of a step logged twice by an earlier interrupted run, all but the last row, so that every step
    appears once."""
    if not os.path.exists(path):
        return
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    last = {int(r[0]): r for r in rows[1:] if int(r[0]) <= step}
    kept = rows[:1] + [last[k] for k in sorted(last)]
    if len(kept) != len(rows):
        with open(path + ".tmp", "w", newline="") as f:
            csv.writer(f).writerows(kept)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
