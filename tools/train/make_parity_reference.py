#!/usr/bin/env python3
"""Writes the PyTorch parity reference that TorchParityTest checks the Java model against.

Regenerate (from the repository root; Debian python3-torch, no safetensors package needed):

    mvn -B -ntp -o -q -pl model -am test-compile dependency:build-classpath \\
        -Dmdep.outputFile="$PWD/model/target/test-classpath.txt" -Dmdep.includeScope=test
    java --add-modules jdk.incubator.vector \\
        -cp "model/target/test-classes:model/target/classes:$(cat model/target/test-classpath.txt)" \\
        org.tttvideo.model.dit.TorchParityFixture model/target/java_parity.safetensors
    /usr/bin/python3 tools/train/make_parity_reference.py model/target/java_parity.safetensors \\
        model/src/test/resources/dit/torch_parity.safetensors

The first file (from Java's TorchParityFixture) holds seeded tiny weights (F16), the inputs and
Java's own outputs under "java.". This script loads the weights strictly into the PyTorch mirror
(tools/train/dit.py), checks the tokenizer and the presets against Java's, recomputes every
output in PyTorch, prints its distance from Java's, and writes the committed reference: the weights
as the mirror saves them, the inputs, the presets as the mirror defines them, and PyTorch's
outputs. PyTorch is the independent reference; the Java test is checked against it.
"""
import os
import sys
from collections import OrderedDict

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dit  # noqa: E402

P = "parity."


def main(src, dst):
    torch.set_num_threads(1)
    tensors, meta = dit.read_safetensors(src)
    cfg = dit.ModelConfig.tiny()
    for preset, c in (("tiny", cfg), ("small", dit.ModelConfig.small())):
        java = {k[len(f"config.{preset}."):]: v for k, v in meta.items()
                if k.startswith(f"config.{preset}.")}
        mine = c.as_java()
        if java != mine:
            diff = {k: (java.get(k), mine.get(k)) for k in set(java) | set(mine)
                    if java.get(k) != mine.get(k)}
            raise SystemExit(f"preset {preset} differs from Java's (java, torch): {diff}")

    weights = OrderedDict((k, v) for k, v in tensors.items()
                          if not k.startswith(P) and not k.startswith("java."))
    model = dit.VideoModel(cfg)
    dit.load_state(model, weights, strict=True)
    model.eval()

    segments = sum(1 for k in tensors if k.startswith(P + "latents."))
    prompts = [meta[f"prompt.{s}"] for s in range(segments)]
    negatives = [meta[f"negative.{s}"] for s in range(segments)]
    out = OrderedDict()
    diffs = []

    def put(name, value):
        out["torch." + name] = value.detach().numpy().astype(np.float32)
        java = tensors.get("java." + name)
        if java is not None:
            if java.shape != out["torch." + name].shape:
                raise SystemExit(f"{name}: java shape {java.shape}, torch {out['torch.' + name].shape}")
            diffs.append((name, float(np.abs(out["torch." + name] - java).max())))

    # tokenizer: tiny (every word in the list or unknown) and small (hashed buckets)
    ids = []
    for s in range(segments):
        mine = dit.tokenize_batch(cfg, [negatives[s], prompts[s]])
        if not np.array_equal(mine.numpy(), tensors[P + f"ids.{s}"]):
            raise SystemExit(f"token ids of segment {s} differ: {mine} vs {tensors[P + f'ids.{s}']}")
        ids.append(mine)
    small_prompts = [meta[f"small_prompt.{i}"] for i in range(len(tensors[P + "small_ids"]))]
    small_ids = dit.tokenize_batch(dit.ModelConfig.small(), small_prompts)
    if not np.array_equal(small_ids.numpy(), tensors[P + "small_ids"]):
        raise SystemExit(f"small token ids differ:\n{small_ids}\n{tensors[P + 'small_ids']}")

    with torch.no_grad():
        text = [model.encode_text(i) for i in ids]
        latents = [torch.from_numpy(tensors[P + f"latents.{s}"]) for s in range(segments)]
        forward = model(latents, text, float(meta["timestep"]))
        for s in range(segments):
            put(P + f"text.{s}", text[s])
            put(P + f"forward.{s}", forward[s])
        layer = model.transformer_blocks[0].ssm.ttt
        x = torch.from_numpy(tensors[P + "ttt.in"])
        d = cfg.head_dim
        ident = (torch.ones(x.shape[1], d), torch.zeros(x.shape[1], d))
        tout, state = layer(x, layer.initial_state(x.shape[0]), *ident, cfg.ttt_mini_batch)
        put(P + "ttt.out", tout)
        put(P + "ttt.b1", state[1])
        put(P + "ttt.b2", state[3])
        noise = [torch.from_numpy(tensors[P + f"noise.{s}"]) for s in range(segments)]
        final, frames = dit.sample(model, prompts, negatives, noise, int(meta["ddim_steps"]),
                                   float(meta["guidance_scale"]))
        for s in range(segments):
            put(P + f"ddim.latents.{s}", final[s])
            put(P + f"ddim.frames.{s}", frames[s])

    for name, d in diffs:
        print(f"max |torch - java| {name:28s} {d:.3e}")

    sd = model.state_dict()
    result = OrderedDict((k, sd[k]) for k in dit.expected_shapes(cfg))
    dtypes = {k: "F16" for k in result}
    for k, v in tensors.items():
        if k.startswith(P):
            result[k] = v
    result.update(out)
    meta_out = {k: v for k, v in meta.items() if not k.startswith("config.")}
    for preset, c in (("tiny", cfg), ("small", dit.ModelConfig.small())):
        for k, v in c.as_java().items():
            meta_out[f"config.{preset}.{k}"] = v
    meta_out["reference"] = "PyTorch " + torch.__version__ + " (tools/train/dit.py), float32"
    dit.write_safetensors(dst, result, meta_out, dtypes=dtypes)
    # the F16 weights must survive the round trip bit for bit
    back, _ = dit.read_safetensors(dst)
    for k in weights:
        if not np.array_equal(back[k], weights[k]):
            raise SystemExit(f"weight {k} changed in the round trip")
    print(f"wrote {dst} ({os.path.getsize(dst)} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
