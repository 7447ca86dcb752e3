#!/usr/bin/env python3
"""Read ToonWorld training shards with numpy alone, and check them.

    python3 tools/toonworld/read_shards.py DATASET_DIR            # summary
    python3 tools/toonworld/read_shards.py DATASET_DIR --check    # and every check below

DATASET_DIR is what `DatasetWriter` (the `shards` command) wrote:

    manifest.json                       geometry, config, splits and their shards
    train/shard-NNNNN.npz               frames_KKKKK.npy: uint8 [T, H, W, 3] per example
    train/shard-NNNNN.jsonl             one JSON line per example, in the same order
    held_out/...

Use from Python:

    from read_shards import examples
    for meta, frames in examples("out/toon", "train"):
        print(meta["id"], frames.shape, meta["format3"][0])
"""
import json
import os
import sys
import zipfile

import numpy as np

HELD_OUT_SEED_BASE = 1 << 62


def manifest(root):
    with open(os.path.join(root, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def examples(root, split):
    """Yields (meta, frames) for every example of `split`, in order."""
    m = manifest(root)
    for shard in m["splits"][split]["shards"]:
        npz_path = os.path.join(root, shard)
        jsonl_path = npz_path[: -len(".npz")] + ".jsonl"
        with open(jsonl_path, encoding="utf-8") as f:
            metas = [json.loads(line) for line in f if line.strip()]
        with np.load(npz_path) as npz:
            for meta in metas:
                yield meta, npz[meta["frames"]]


def check(root):
    """Checks every example against the manifest; returns the number of problems found."""
    m = manifest(root)
    h, w, fps, per_segment = m["height"], m["width"], m["fps"], m["framesPerSegment"]
    problems = 0
    ids = set()

    def fail(msg):
        nonlocal problems
        problems += 1
        print("PROBLEM:", msg)

    for split, info in m["splits"].items():
        count = 0
        for meta, frames in examples(root, split):
            count += 1
            eid = meta["id"]
            if eid in ids:
                fail(f"{eid}: id seen twice")
            ids.add(eid)
            if frames.dtype != np.uint8:
                fail(f"{eid}: dtype {frames.dtype}, expected uint8")
            expected = (meta["frameCount"], h, w, 3)
            if frames.shape != expected:
                fail(f"{eid}: shape {frames.shape}, expected {expected}")
            if meta["frameCount"] != meta["segments"] * per_segment:
                fail(f"{eid}: frameCount {meta['frameCount']} != segments * {per_segment}")
            if meta["split"] != split:
                fail(f"{eid}: split {meta['split']} in the {split} folder")
            held = meta["seed"] >= HELD_OUT_SEED_BASE
            if held != (split == "held_out"):
                fail(f"{eid}: seed {meta['seed']} outside the {split} range")
            for key in ("format2", "format3", "sceneStarts"):
                if len(meta[key]) != meta["segments"]:
                    fail(f"{eid}: {key} has {len(meta[key])} entries, segments {meta['segments']}")
            if not meta["sceneStarts"] or not meta["sceneStarts"][0]:
                fail(f"{eid}: the first segment must start a scene")
            scenes = meta["worldSpec"]["scenes"]
            if sum(len(s["segments"]) for s in scenes) != meta["segments"]:
                fail(f"{eid}: worldSpec segments differ from segments")
            if frames.size and frames.max() == frames.min():
                fail(f"{eid}: every pixel has the same value")
        if count != info["examples"]:
            fail(f"{split}: {count} examples, the manifest says {info['examples']}")
    print(f"fps {fps}, {h}x{w}; checked {len(ids)} examples; problems: {problems}")
    return problems


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    root = argv[1]
    m = manifest(root)
    for split, info in m["splits"].items():
        frames = 0
        for meta, f in examples(root, split):
            frames += f.shape[0]
        print(f"{split}: {info['examples']} examples in {len(info['shards'])} shards, {frames} frames")
    if "--check" in argv[2:]:
        return 1 if check(root) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
