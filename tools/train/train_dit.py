#!/usr/bin/env python3
"""Stages 1-4: train the diffusion transformer (dit.py, preset toon) on encoded ToonWorld latents.

    /usr/bin/python3 tools/train/train_dit.py --stage 1 --latents out/latents/toon-ae \
        --run out/train/stage1 --segments 2 --steps 1000
    /usr/bin/python3 tools/train/train_dit.py --stage 2 --latents out/latents/toon-ae \
        --run out/train/stage2 --init out/train/stage1 --segments 3 --steps 400

The stages follow the paper's recipe at toy scale:

* Stage 1, the base model: no TTT (use_ttt=False, the same as every gate at zero), every other
  parameter trained from the seed initialisation. With segment attention and no TTT the segments
  of a video never see each other, so a video of N segments is N independent 3-second samples.
* Stages 2-4, TTT-MLP inserted with its gates at 0.1 and the context extended (3, then 6, then
  21 segments): the model starts from the previous stage's weights (stage 2 from stage 1's, whose
  TTT values are the seed initialisation: load_state keeps them), and only the TTT layers, their
  gates and the attention projections (to_q, to_k, to_v, to_out) are trained, as the paper does
  after its first stage; the TTT mini-batch is 64 (the reference's training value; sampling uses
  16).

Every sample is a video's first --segments segments (latents 4 + 3 (N - 1) frames) with each
segment's Format 3 paragraph as its prompt; with probability --drop-text the whole video's
prompts are empty, so the unconditional prediction that classifier-free guidance subtracts is
trained too. Loss: v-prediction MSE (dit.diffusion_loss). AdamW, linear warm-up then cosine decay
to 10 %. Checkpoints every --save-every steps to RUN/checkpoint.pt (model, AdamW, step, RNGs), so
a run resumes where it stopped; RUN/losses.csv gets a row per step and, at each checkpoint, the
held-out loss at fixed timesteps and noise. At the end (or with --export) RUN/dit.safetensors gets
the fp16 weights under the Java names.
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
import dit  # noqa: E402
from encode_latents import FIRST_LATENTS, LATENTS_PER_SEGMENT, examples  # noqa: E402

TRAINED_AFTER_STAGE_1 = ("attn1.to_q.", "attn1.to_k.", "attn1.to_v.", "attn1.to_out.0.")


def load_videos(root, split, segments, limit=None):
    """(latents [N_videos, F, C, h, w], prompts [N_videos][segments]) of the videos with at least
    `segments` segments, cut to their first `segments`."""
    frames = FIRST_LATENTS + LATENTS_PER_SEGMENT * (segments - 1)
    lat, prompts = [], []
    for meta, z in examples(root, split):
        if meta["segments"] >= segments:
            lat.append(z[:frames])
            prompts.append(meta["format3"][:segments])
        if limit and len(lat) >= limit:
            break
    if not lat:
        raise SystemExit(f"no {split} video in {root} has {segments} segments")
    return torch.from_numpy(np.stack(lat)), prompts


def per_segment(latents, segments):
    """[B, F, C, h, w] -> per segment [B, F_s, C, h, w]."""
    out, at = [], 0
    for s in range(segments):
        n = FIRST_LATENTS if s == 0 else LATENTS_PER_SEGMENT
        out.append(latents[:, at:at + n])
        at += n
    return out


def text_ids(cfg, prompts, segments):
    """per segment [B, T] token ids of each video's paragraph for that segment."""
    return [dit.tokenize_batch(cfg, [p[s] for p in prompts]) for s in range(segments)]


def trainable(stage, name):
    if stage == 1:
        return not dit.is_ttt_name(name)
    return dit.is_ttt_name(name) or any(k in name for k in TRAINED_AFTER_STAGE_1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--stage", type=int, choices=[1, 2, 3, 4], required=True)
    p.add_argument("--latents", required=True, help="a folder encode_latents.py wrote")
    p.add_argument("--run", required=True)
    p.add_argument("--init", help="the previous stage's run folder (its dit.safetensors)")
    p.add_argument("--segments", type=int, required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--mini-batch", type=int, default=64, help="TTT mini-batch in training")
    p.add_argument("--drop-text", type=float, default=0.1)
    p.add_argument("--save-every", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--export", action="store_true", help="write RUN/dit.safetensors, then stop")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.run, exist_ok=True)
    ckpt_path = os.path.join(a.run, "checkpoint.pt")
    cfg = dit.ModelConfig.toon()
    use_ttt = a.stage > 1

    model = dit.VideoModel(cfg)
    dit.init_weights(model, seed=a.seed)
    if a.init and not os.path.exists(ckpt_path):
        meta = dit.load_safetensors(model, os.path.join(a.init, "dit.safetensors"), ignore_ttt=a.stage == 2)
        print(f"started from {a.init} ({meta})", flush=True)
    for name, prm in model.named_parameters():
        prm.requires_grad_(trainable(a.stage, name))
    params = [prm for prm in model.parameters() if prm.requires_grad]
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=0.0, betas=(0.9, 0.99))
    step, wall = 0, 0.0
    rng = np.random.default_rng(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, wall = ck["step"], ck["wall"]
        rng.bit_generator.state = ck["rng"]
        gen.set_state(ck["gen"])
        print(f"resumed at step {step} ({wall / 60:.1f} min so far)", flush=True)
    if a.export:
        export(model, a)
        return

    train_lat, train_prompts = load_videos(a.latents, "train", a.segments)
    held_lat, held_prompts = load_videos(a.latents, "held_out", a.segments, limit=8)
    held_ids = text_ids(cfg, held_prompts, a.segments)
    n_trained = sum(prm.numel() for prm in params)
    print(f"stage {a.stage}: {len(train_lat)} training videos of {a.segments} segments, {len(held_lat)} held-out; "
          f"{n_trained:,} of {sum(q.numel() for q in model.parameters()):,} parameters trained; "
          f"step {step} of {a.steps}", flush=True)

    def held_out_loss():
        g = torch.Generator().manual_seed(1234)
        with torch.no_grad():
            return dit.diffusion_loss(model, per_segment(held_lat, a.segments), held_ids, g,
                                      mini_batch=a.mini_batch, use_ttt=use_ttt).item()

    def lr_at(s):
        if s < a.warmup:
            return a.lr * (s + 1) / a.warmup
        return a.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (s - a.warmup) / max(1, a.steps - a.warmup))))

    log_path = os.path.join(a.run, "losses.csv")
    truncate_log(log_path, step)
    new_log = not os.path.exists(log_path)
    log = open(log_path, "a", newline="")
    w = csv.writer(log)
    if new_log:
        w.writerow(["step", "samples", "wall_s", "lr", "loss", "heldout_loss"])
    model.train()
    while step < a.steps:
        t0 = time.time()
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        idx = rng.integers(len(train_lat), size=a.batch)
        prompts = [train_prompts[i] if rng.random() >= a.drop_text else [""] * a.segments for i in idx]
        loss = dit.diffusion_loss(model, per_segment(train_lat[idx], a.segments),
                                  text_ids(cfg, prompts, a.segments), gen,
                                  mini_batch=a.mini_batch, use_ttt=use_ttt)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        wall += time.time() - t0
        held = ""
        if step % a.save_every == 0 or step == a.steps:
            model.eval()
            held = f"{held_out_loss():.5f}"
            model.train()
        w.writerow([step, step * a.batch, f"{wall:.1f}", f"{lr_at(step - 1):.2e}", f"{loss.item():.5f}", held])
        log.flush()
        if held:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "wall": wall,
                        "rng": rng.bit_generator.state, "gen": gen.get_state()}, ckpt_path + ".tmp")
            os.replace(ckpt_path + ".tmp", ckpt_path)
            print(f"step {step}: loss {loss.item():.4f}, held-out {held}, {wall / 60:.1f} min", flush=True)
    log.close()
    export(model, a)


def export(model, a):
    path = os.path.join(a.run, "dit.safetensors")
    dit.save_safetensors(model, path, {"stage": str(a.stage), "segments": str(a.segments)}, dtype="F16")
    print(f"exported {path}", flush=True)


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
