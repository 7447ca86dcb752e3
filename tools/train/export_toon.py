#!/usr/bin/env python3
"""Put a trained toon model into the product: one fp16 safetensors file with the transformer and
text encoder of a train_dit.py run and the decoder of a train_vae.py run, under the Java names,
at the class-path location the job loads when no weights path is given.

    /usr/bin/python3 tools/train/export_toon.py --dit tools/train/runs/stage4 \
        --vae tools/train/runs/stage0 --out model/src/main/resources/weights/toon.safetensors

The file holds exactly the tensors Java's ModelWeights.expectedShapes(toon) lists (the mirror's
expected_shapes plus the VAE's decoder.* tensors; the encoder stays in the VAE run), so the strict
loader accepts it. The VAE's scaling factor must equal ModelPresets.TOON_VAE's: the script
refuses a mismatch and prints the value to put there.
"""
import argparse
import os
import re
import sys
from collections import OrderedDict

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cogvideox_vae as cv  # noqa: E402
import dit  # noqa: E402
import safetensors_np  # noqa: E402

PRESETS_JAVA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "model", "src", "main",
                            "java", "org", "tttvideo", "model", "config", "ModelPresets.java")


def java_scaling_factor():
    with open(PRESETS_JAVA, encoding="utf-8") as f:
        m = re.search(r"TOON_VAE\s*=\s*new VaeConfig\([^;]*?,\s*([0-9.eE+-]+)f\);", f.read(), re.S)
    if not m:
        raise SystemExit(f"cannot find TOON_VAE's scaling factor in {PRESETS_JAVA}")
    return float(m.group(1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dit", required=True, help="a train_dit.py run folder (dit.safetensors)")
    p.add_argument("--vae", required=True, help="a train_vae.py run folder (vae.safetensors, vae_config.json)")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    cfg = dit.ModelConfig.toon()
    vae_cfg = cv.load_config(os.path.join(a.vae, "vae_config.json"))
    java = java_scaling_factor()
    if abs(java - vae_cfg["scaling_factor"]) > 1e-6:
        raise SystemExit(f"ModelPresets.TOON_VAE has scaling factor {java}, the VAE run measured "
                         f"{vae_cfg['scaling_factor']}: put {vae_cfg['scaling_factor']}f there first")
    transformer, meta = dit.read_safetensors(os.path.join(a.dit, "dit.safetensors"))
    vae, _ = safetensors_np.load(os.path.join(a.vae, "vae.safetensors"))
    expected = dit.expected_shapes(cfg)
    out = OrderedDict()
    for name, shape in expected.items():
        if name not in transformer or tuple(transformer[name].shape) != tuple(shape):
            raise SystemExit(f"{a.dit}: tensor '{name}' missing or not {list(shape)}")
        out[name] = transformer[name].astype(np.float16)
    decoder = sorted(k for k in vae if k.startswith("decoder."))
    for name in decoder:
        out[name] = vae[name].astype(np.float16)
    metadata = {"preset": "toon", "stage": meta.get("stage", "?"), "segments": meta.get("segments", "?"),
                "vae_scaling_factor": str(vae_cfg["scaling_factor"])}
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    dit.write_safetensors(a.out, out, metadata, default_dtype="F16")
    print(f"wrote {a.out}: {len(expected)} transformer and text tensors, {len(decoder)} decoder tensors, "
          f"{os.path.getsize(a.out) / 1e6:.2f} MB", flush=True)


if __name__ == "__main__":
    main()
