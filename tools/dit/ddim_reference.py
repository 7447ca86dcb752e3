#!/usr/bin/env python3
"""Reference values for the Java sampler tests (model/src/test/resources/dit/ddim_reference.json).

Written from the formulas of diffusers' CogVideoXDDIMScheduler (CogVideoX-5B's scheduler config:
scaled_linear betas 0.00085..0.012 over 1000 steps, snr_shift_scale 1.0, rescale_betas_zero_snr,
set_alpha_to_one, timestep_spacing "trailing", v_prediction, eta 0) and the reference's dynamic
classifier-free guidance (1 + s * (1 - cos(pi * (i / n) ** e)) / 2, s = 6, e = 5), in float64
with plain numpy, independently of the Java code.

Run from the repository root (Debian: apt-get install python3-numpy):

    python3 tools/dit/ddim_reference.py > model/src/test/resources/dit/ddim_reference.json
"""
import json
import math

import numpy as np

TRAIN = 1000


def alphas_cumprod(shift=1.0):
    betas = np.linspace(0.00085 ** 0.5, 0.012 ** 0.5, TRAIN, dtype=np.float64) ** 2
    ac = np.cumprod(1.0 - betas)
    ac = ac / (shift + (1 - shift) * ac)  # SNR shift (SD3), identity for shift 1
    s = np.sqrt(ac)  # rescale to zero terminal SNR (Lin et al. 2023, Algorithm 1)
    s0, sT = s[0], s[-1]
    s = (s - sT) * (s0 / (s0 - sT))
    return s ** 2


def timesteps(n):
    ratio = TRAIN / n
    return (np.round(np.arange(TRAIN, 0, -ratio)).astype(np.int64) - 1).tolist()


def ddim_step(ac, v, t, x, n):
    prev = t - TRAIN // n
    a = ac[t]
    a_prev = ac[prev] if prev >= 0 else 1.0
    x0 = math.sqrt(a) * x - math.sqrt(1 - a) * v
    a_t = math.sqrt((1 - a_prev) / (1 - a))
    b_t = math.sqrt(a_prev) - math.sqrt(a) * a_t
    return a_t * x + b_t * x0


def guidance(i, n, scale=6.0, exp=5.0):
    return 1 + scale * (1 - math.cos(math.pi * (i / n) ** exp)) / 2


def main():
    ac = alphas_cumprod()
    out = {
        "alphas_cumprod_at": {str(i): float(ac[i]) for i in (0, 1, 10, 100, 500, 900, 998, 999)},
        "timesteps": {str(n): timesteps(n) for n in (1, 7, 12, 50)},
        "guidance_50": [guidance(i, 50) for i in range(50)],
    }
    # A DDIM trajectory with guidance and a synthetic model of the sample, step index and timestep:
    #   v_uncond = 0.3 x + 0.1 cos(k + i),  v_cond = -0.2 x + 0.05 sin(0.5 k + t / 100)
    n = 7
    k = np.arange(16, dtype=np.float64)
    x = np.sin(k * 0.7) + 0.25 * np.cos(k * 1.3)
    out["trajectory"] = {"steps": n, "x_init": x.tolist(), "x": []}
    for i, t in enumerate(timesteps(n)):
        vu = 0.3 * x + 0.1 * np.cos(k + i)
        vc = -0.2 * x + 0.05 * np.sin(0.5 * k + t / 100.0)
        w = guidance(i, n)
        v = vu + w * (vc - vu)
        x = ddim_step(ac, v, t, x, n)
        out["trajectory"]["x"].append(x.tolist())
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
