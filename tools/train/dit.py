#!/usr/bin/env python3
"""PyTorch mirror of the Java video model (model/src/main/java/org/tttvideo/model/).

CogVideoX's diffusion transformer with segment-local attention and a gated bidirectional TTT-MLP
layer in every block ("One-Minute Video Generation with Test-Time Training", Dalal et al. 2025),
the built-in token-embedding text encoder, the linear patch decoder, the DDIM sampler with dynamic
classifier-free guidance, and a v-prediction training loss. Written for Debian's python3-torch
(1.13) and numpy; the safetensors format is read and written by hand (no safetensors package).

Everything is fp32 and differentiable; the TTT-MLP inner loop is written out with autograd-friendly
ops (TTT_SPEC.md sections 2-4 in the shared docs), so the outer loss trains the TTT parameters
through the inner gradient steps.

Parameter names are exactly the Java checkpoint names (DitParameters, TttParams, BidirectionalTtt,
TokenEmbeddingTextEncoder, LinearPatchDecoder): `VideoModel(cfg).state_dict()` keys equal
`expected_shapes(cfg)`, which mirrors Java's `ModelWeights.expectedShapes`. `save_safetensors`
writes a file that `ModelWeights.load` accepts strictly; `load_safetensors` reads Java-written
weights strictly.

Use (from the repository root, Debian python3-torch):

    import sys; sys.path.insert(0, "tools/train")
    import dit
    cfg = dit.ModelConfig.small()
    model = dit.VideoModel(cfg); dit.init_weights(model, seed=0)
    ids = dit.tokenize_batch(cfg, ["a cat runs", "a cat sleeps"])          # [B, T]
    latents = [torch.randn(2, cfg.frames_of(s), 4, 16, 24) for s in range(3)]
    loss = dit.diffusion_loss(model, latents, [ids] * 3, torch.Generator().manual_seed(0),
                              mini_batch=64)
    loss.backward()
    dit.save_safetensors(model, "small.safetensors", metadata={"preset": "small"})

Legend: B = batch, S = segments, T = text tokens per segment, V_s = video tokens of segment s,
L = T + V_s, W = width, H = heads, D = W / H, E = time-embedding dim, C = latent channels,
p = patch size, F_s = latent frames of segment s, h x w = latent rows x columns,
M = TTT mini-batch, Fi = TTT inner width (4D for TTT-MLP, D for TTT-Linear).
"""
from __future__ import annotations

import dataclasses
import json
import math
import struct
import unicodedata
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# Constants of ModelConfig / TttConfig / TttReferenceScan.
NORM_EPS = 1e-5  # ModelConfig.NORM_EPS: block norms, norm_final, norm_out, text encoder LN
QK_NORM_EPS = 1e-6  # ModelConfig.QK_NORM_EPS: attn1.norm_q / norm_k
ROPE_THETA = 10000.0
TTT_L2_EPS = 1e-12  # TttConfig.L2_EPS
TTT_TARGET_EPS = 1e-8  # TttConfig.TARGET_EPS (outside the root, unbiased std)
TTT_POST_NORM_EPS = 1e-6  # TttConfig.POST_NORM_EPS
TTT_INNER_LN_EPS = 1e-8  # TttReferenceScan.INNER_LN_EPS (inside the root, biased variance)
INIT_STD = 0.02  # ModelWeights.INIT_STD

GELU_C = math.sqrt(2.0 / math.pi)


# ================================================================ configuration


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """Java's ModelConfig, field for field (snake_case here; JAVA_NAMES maps them)."""

    name: str = "custom"
    width: int = 0
    heads: int = 0
    layers: int = 0
    time_embed_dim: int = 0
    text_dim: int = 0
    text_tokens: int = 0
    vocab_size: int = 0
    latent_channels: int = 0
    latent_height: int = 0
    latent_width: int = 0
    patch_size: int = 2
    first_segment_frames: int = 0
    segment_frames: int = 0
    temporal_compression: int = 4
    spatial_compression: int = 8
    fps: int = 16
    ttt: str = "mlp"  # "none", "linear", "mlp"
    ttt_mini_batch: int = 16
    ttt_base_lr: float = 0.1
    gate_init: float = 0.1
    bidirectional: bool = True
    attention: str = "segment"  # "segment", "full", "sliding:N"
    steps: int = 50
    guidance_scale: float = 6.0
    guidance_exponent: float = 5.0
    # True: latents decode with a stage-0 VAE (Java: ModelConfig.vae(), the VAE's own config and
    # its decoder.* tensors), so the model has no latent_decoder; False: the built-in linear one.
    vae: bool = False

    def __post_init__(self):
        if self.ttt not in ("none", "linear", "mlp"):
            raise ValueError(f"unknown TTT mode '{self.ttt}': allowed are none, linear, mlp")
        if self.width <= 0 or self.heads <= 0 or self.width % self.heads != 0:
            raise ValueError(f"width {self.width} must be a positive multiple of heads {self.heads}")
        if (self.width // self.heads) % 16 != 0:
            raise ValueError(f"head dim {self.width // self.heads} must be a multiple of 16")
        if self.latent_height % self.patch_size or self.latent_width % self.patch_size:
            raise ValueError("latent height and width must be multiples of the patch size")
        self.attention_scope()  # validates

    # ---------------------------------------------------------------- presets (ModelPresets)

    @staticmethod
    def tiny() -> "ModelConfig":
        return ModelConfig(
            name="tiny", width=32, heads=2, layers=2, time_embed_dim=32, text_dim=16,
            text_tokens=4, vocab_size=64, latent_channels=4, latent_height=4, latent_width=4,
            patch_size=2, first_segment_frames=3, segment_frames=2, temporal_compression=4,
            spatial_compression=4, fps=8, ttt="mlp", ttt_mini_batch=4, steps=4)

    @staticmethod
    def small() -> "ModelConfig":
        return ModelConfig(
            name="small", width=128, heads=4, layers=4, time_embed_dim=128, text_dim=64,
            text_tokens=16, vocab_size=1024, latent_channels=4, latent_height=16, latent_width=24,
            patch_size=2, first_segment_frames=4, segment_frames=3, temporal_compression=8,
            spatial_compression=8, fps=8, ttt="mlp", ttt_mini_batch=16, steps=20)

    @staticmethod
    def toon() -> "ModelConfig":
        """Java's ModelPresets.toon(): small's transformer on the stage-0 VAE's 8 latent channels,
        48 text tokens per segment (the world's longest Format 3 paragraph is 39 words)."""
        return ModelConfig.small().replace(name="toon", latent_channels=8, text_tokens=48, vae=True)

    @staticmethod
    def cogvideox_5b_ttt() -> "ModelConfig":
        return ModelConfig(
            name="cogvideox-5b-ttt", width=3072, heads=48, layers=42, time_embed_dim=512,
            text_dim=4096, text_tokens=226, vocab_size=0, latent_channels=16, latent_height=60,
            latent_width=90, patch_size=2, first_segment_frames=13, segment_frames=12,
            temporal_compression=4, spatial_compression=8, fps=16, ttt="mlp", ttt_mini_batch=16,
            steps=50)

    @staticmethod
    def preset(name: str) -> "ModelConfig":
        presets = {"tiny": ModelConfig.tiny, "small": ModelConfig.small, "toon": ModelConfig.toon,
                   "cogvideox-5b-ttt": ModelConfig.cogvideox_5b_ttt}
        if name not in presets:
            raise ValueError(f"unknown preset '{name}': allowed are {', '.join(presets)}")
        return presets[name]()

    def replace(self, **changes) -> "ModelConfig":
        return dataclasses.replace(self, **changes)

    # ---------------------------------------------------------------- derived sizes

    @property
    def head_dim(self) -> int:
        return self.width // self.heads

    @property
    def latent_rows(self) -> int:
        return self.latent_height // self.patch_size

    @property
    def latent_cols(self) -> int:
        return self.latent_width // self.patch_size

    @property
    def tokens_per_frame(self) -> int:
        return self.latent_rows * self.latent_cols

    @property
    def patch_dim(self) -> int:
        return self.latent_channels * self.patch_size * self.patch_size

    @property
    def ff_inner_dim(self) -> int:
        return 4 * self.width

    @property
    def ttt_inner_width(self) -> int:
        return 4 * self.head_dim if self.ttt == "mlp" else self.head_dim

    def frames_of(self, segment: int) -> int:
        return self.first_segment_frames if segment == 0 else self.segment_frames

    def video_tokens_of(self, segment: int) -> int:
        return self.frames_of(segment) * self.tokens_per_frame

    def latent_frames(self, segments: int) -> int:
        return self.first_segment_frames + (segments - 1) * self.segment_frames

    def attention_scope(self) -> Tuple[str, int]:
        a = self.attention.strip().lower()
        if a in ("segment", "full"):
            return a, 0
        if a.startswith("sliding:"):
            n = int(a[len("sliding:"):])
            if n >= 1:
                return "sliding", n
        raise ValueError(f"unknown attention scope '{self.attention}': allowed are segment, full, "
                         "sliding:N (N >= 1)")

    def as_java(self) -> Dict[str, str]:
        """The values under Java's names, formatted as Java's String.valueOf does (vae, a VaeConfig
        in Java, is left out)."""
        out = {}
        for f in dataclasses.fields(self):
            if f.name == "vae":
                continue
            v = getattr(self, f.name)
            if isinstance(v, bool):
                s = "true" if v else "false"
            elif isinstance(v, float):
                s = repr(float(v))
            else:
                s = str(v)
            out[JAVA_NAMES[f.name]] = s
        return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(r[:1].upper() + r[1:] for r in rest)


JAVA_NAMES = {f.name: _camel(f.name) for f in dataclasses.fields(ModelConfig)}


# ================================================================ parameter names (DitParameters)


def block(i: int) -> str:
    return f"transformer_blocks.{i}."


GATE_NAMES = (
    "forward_ssm_gating_text.gating_alpha",
    "forward_ssm_gating_video.gating_alpha",
    "backward_ssm_gating_text.gating_alpha",
    "backward_ssm_gating_video.gating_alpha",
)


def ttt_shapes(cfg: ModelConfig) -> "OrderedDict[str, Tuple[int, ...]]":
    """TttParams.expectedShapes."""
    w, h, d, f = cfg.width, cfg.heads, cfg.head_dim, cfg.ttt_inner_width
    m = OrderedDict()
    for p in ("wq", "wk", "wv", "wo"):
        m[p + ".weight"] = (w, w)
        m[p + ".bias"] = (w,)
    m["learnable_ttt_lr_weight"] = (h, 1, w)
    m["learnable_ttt_lr_bias"] = (h, 1)
    m["ttt_norm_weight"] = (h, d)
    m["ttt_norm_bias"] = (h, d)
    m["post_norm.weight"] = (w,)
    m["post_norm.bias"] = (w,)
    m["W1"] = (h, d, f)
    m["b1"] = (h, 1, f)
    if cfg.ttt == "mlp":
        m["W2"] = (h, f, d)
        m["b2"] = (h, 1, d)
    return m


def expected_shapes(cfg: ModelConfig) -> "OrderedDict[str, Tuple[int, ...]]":
    """ModelWeights.expectedShapes: the transformer, then the text encoder and decoder."""
    w, e, d, ff, p, ch = (cfg.width, cfg.time_embed_dim, cfg.head_dim, cfg.ff_inner_dim,
                          cfg.patch_size, cfg.latent_channels)
    m = OrderedDict()
    m["patch_embed.proj.weight"] = (w, ch, p, p)
    m["patch_embed.proj.bias"] = (w,)
    m["patch_embed.text_proj.weight"] = (w, cfg.text_dim)
    m["patch_embed.text_proj.bias"] = (w,)
    m["time_embedding.linear_1.weight"] = (e, w)
    m["time_embedding.linear_1.bias"] = (e,)
    m["time_embedding.linear_2.weight"] = (e, e)
    m["time_embedding.linear_2.bias"] = (e,)
    for i in range(cfg.layers):
        b = block(i)
        m[b + "norm1.linear.weight"] = (6 * w, e)
        m[b + "norm1.linear.bias"] = (6 * w,)
        m[b + "norm1.norm.weight"] = (w,)
        m[b + "norm1.norm.bias"] = (w,)
        m[b + "attn1.norm_q.weight"] = (d,)
        m[b + "attn1.norm_q.bias"] = (d,)
        m[b + "attn1.norm_k.weight"] = (d,)
        m[b + "attn1.norm_k.bias"] = (d,)
        for proj in ("attn1.to_q", "attn1.to_k", "attn1.to_v", "attn1.to_out.0"):
            m[b + proj + ".weight"] = (w, w)
            m[b + proj + ".bias"] = (w,)
        if cfg.ttt != "none":
            for k, s in ttt_shapes(cfg).items():
                m[b + "ssm.ttt." + k] = s
            for g in GATE_NAMES:
                m[b + g] = (w,)
        m[b + "norm2.linear.weight"] = (6 * w, e)
        m[b + "norm2.linear.bias"] = (6 * w,)
        m[b + "norm2.norm.weight"] = (w,)
        m[b + "norm2.norm.bias"] = (w,)
        m[b + "ff.net.0.proj.weight"] = (ff, w)
        m[b + "ff.net.0.proj.bias"] = (ff,)
        m[b + "ff.net.2.weight"] = (w, ff)
        m[b + "ff.net.2.bias"] = (w,)
    m["norm_final.weight"] = (w,)
    m["norm_final.bias"] = (w,)
    m["norm_out.linear.weight"] = (2 * w, e)
    m["norm_out.linear.bias"] = (2 * w,)
    m["norm_out.norm.weight"] = (w,)
    m["norm_out.norm.bias"] = (w,)
    m["proj_out.weight"] = (cfg.patch_dim, w)
    m["proj_out.bias"] = (cfg.patch_dim,)
    if cfg.vocab_size > 0:
        m["text_encoder.token_embedding.weight"] = (cfg.vocab_size, cfg.text_dim)
        m["text_encoder.position_embedding.weight"] = (cfg.text_tokens, cfg.text_dim)
        m["text_encoder.final_layer_norm.weight"] = (cfg.text_dim,)
        m["text_encoder.final_layer_norm.bias"] = (cfg.text_dim,)
    if cfg.vocab_size > 0 and not cfg.vae:
        k = cfg.temporal_compression * cfg.spatial_compression * cfg.spatial_compression * 3
        m["latent_decoder.proj.weight"] = (k, 2 * cfg.latent_channels)
        m["latent_decoder.proj.bias"] = (k,)
    return m


def is_ttt_name(name: str) -> bool:
    """DitParameters.isTtt."""
    return ".ssm.ttt." in name or "_ssm_gating_" in name


# ================================================================ safetensors (by hand)

_NP_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
              "I8": "i1", "U8": "u1", "BOOL": "?"}


def read_safetensors(path) -> Tuple["OrderedDict[str, np.ndarray]", Dict[str, str]]:
    """All tensors (numpy, BF16 widened to float32) in file order, and the metadata."""
    with open(path, "rb") as fh:
        raw = fh.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + n
    items = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
    out = OrderedDict()
    for name, info in items:
        a, b = info["data_offsets"]
        buf = raw[base + a:base + b]
        shape = tuple(info["shape"])
        if info["dtype"] == "BF16":
            u = np.frombuffer(buf, dtype="<u2").astype(np.uint32) << 16
            arr = u.view(np.float32)
        else:
            arr = np.frombuffer(buf, dtype=_NP_DTYPES[info["dtype"]])
        out[name] = arr.reshape(shape).copy()
    return out, dict(meta)


def _to_bf16_bytes(a: np.ndarray) -> bytes:
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype("<u2")  # nearest, ties to even
    return rounded.tobytes()


def write_safetensors(path, tensors: "Dict[str, object]", metadata: Optional[Dict[str, str]] = None,
                      dtypes: Optional[Dict[str, str]] = None, default_dtype: str = "F32"):
    """Writes tensors (numpy arrays or torch tensors) in the given order. dtypes maps a name to
    "F32", "F16", "BF16", "F64", "I64" or "I32"; float tensors default to default_dtype, integer
    ones to I64."""
    dtypes = dtypes or {}
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        dt = dtypes.get(name)
        if dt is None:
            dt = default_dtype if np.issubdtype(a.dtype, np.floating) else "I64"
        if dt == "BF16":
            data = _to_bf16_bytes(a)
        else:
            data = np.ascontiguousarray(a, dtype=_NP_DTYPES[dt]).tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(hb)))
        fh.write(hb)
        for b in blobs:
            fh.write(b)


def save_safetensors(model: "VideoModel", path, metadata: Optional[Dict[str, str]] = None,
                     dtype: str = "F32"):
    """The model's weights under the Java names, in Java's file order (ModelWeights.write)."""
    sd = model.state_dict()
    order = expected_shapes(model.cfg)
    if set(sd) != set(order):
        raise AssertionError(f"state_dict keys differ from the Java names: "
                             f"{sorted(set(sd) ^ set(order))}")
    meta = {"preset": model.cfg.name}
    meta.update(metadata or {})
    write_safetensors(path, OrderedDict((k, sd[k]) for k in order), meta, default_dtype=dtype)


def load_state(model: "VideoModel", tensors: Dict[str, np.ndarray], strict: bool = True,
               ignore_ttt: bool = False):
    """Loads Java-named tensors into the model. Strict: every expected name present with its
    shape, no unknown name (errors name the tensor and both shapes). ignore_ttt: a stage-1 model
    (ttt 'none') accepts and ignores TTT tensors; a TTT model keeps its own TTT values for names
    the file lacks (stage 2 from a stage-1 checkpoint)."""
    expected = expected_shapes(model.cfg)
    for name, shape in expected.items():
        if name not in tensors:
            if ignore_ttt and is_ttt_name(name):
                continue
            if strict:
                raise ValueError(f"missing tensor '{name}' (expected shape {list(shape)}) for "
                                 f"preset '{model.cfg.name}'")
            continue
        if tuple(tensors[name].shape) != tuple(shape):
            raise ValueError(f"tensor '{name}' has shape {list(tensors[name].shape)}, preset "
                             f"'{model.cfg.name}' expects {list(shape)}")
    for name in sorted(tensors):
        if name not in expected and strict and not (ignore_ttt and is_ttt_name(name)):
            raise ValueError(f"unexpected tensor '{name}' with shape {list(tensors[name].shape)}: "
                             f"preset '{model.cfg.name}' has no such parameter")
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name in expected:
            if name in tensors:
                params[name].copy_(torch.from_numpy(np.asarray(tensors[name], dtype=np.float32)))


def load_safetensors(model: "VideoModel", path, strict: bool = True, ignore_ttt: bool = False):
    tensors, meta = read_safetensors(path)
    load_state(model, tensors, strict=strict, ignore_ttt=ignore_ttt)
    return meta


# ================================================================ tokenizer (WordTokenizer)

PAD, END, UNKNOWN, _SPECIAL = 0, 1, 2, 3

WORDS = """a an the and or of in on at to with from by over under into through while as is are it
its his her their he she they we you this that then there here up down left right near far big
small tiny large red green blue yellow white black orange purple brown gray golden bright dark
light sun moon star sky cloud rain snow wind storm sea ocean river lake water wave beach sand
mountain hill forest tree flower grass field road street city house room kitchen window door
table chair car train boat ship plane bird fish cat dog fox horse mouse tom jerry man woman boy
girl child people friend face hand eyes walks runs jumps flies swims falls rises turns looks
smiles laughs cries eats drinks sleeps plays chases holds opens closes sits stands dances sings
moves slowly quickly suddenly together again camera scene view close wide shot zoom pan morning
evening night day summer winter spring autumn fire smoke light shadow cartoon animated realistic
cinematic happy sad angry calm quiet loud""".split()


def _java_letter_or_digit(ch: str) -> bool:
    # Java's Character.isLetterOrDigit(char): categories Lu Ll Lt Lm Lo Nd, on UTF-16 units
    # (a surrogate half is neither, so characters outside the BMP separate words).
    if ord(ch) > 0xFFFF:
        return False
    return unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")


class WordTokenizer:
    """Java's WordTokenizer: id 0 padding, 1 end, 2 unknown, then the word list, then FNV-1a hash
    buckets of the word's UTF-8 bytes."""

    def __init__(self, vocab_size: int):
        if vocab_size < _SPECIAL + 1:
            raise ValueError(f"vocabSize must be at least 4, got {vocab_size}")
        self.vocab_size = vocab_size
        self.ids: Dict[str, int] = {}
        nxt = _SPECIAL
        for w in WORDS:
            if nxt >= vocab_size:
                break
            if w not in self.ids:
                self.ids[w] = nxt
                nxt += 1
        self.first_bucket = nxt

    @staticmethod
    def words(text: str) -> List[str]:
        out, cur = [], []
        for ch in text.lower():  # Java: toLowerCase(Locale.ROOT); equal for ASCII and most text
            if _java_letter_or_digit(ch) or ch == "'":
                cur.append(ch)
            elif cur:
                out.append("".join(cur))
                cur = []
        if cur:
            out.append("".join(cur))
        return out

    def id(self, word: str) -> int:
        if word in self.ids:
            return self.ids[word]
        buckets = self.vocab_size - self.first_bucket
        if buckets <= 0:
            return UNKNOWN
        h = 0x811C9DC5
        for b in word.encode("utf-8"):
            h ^= b
            h = (h * 0x01000193) & 0xFFFFFFFF
        return self.first_bucket + h % buckets

    def encode(self, text: str, length: int) -> List[int]:
        if length < 1:
            raise ValueError(f"length must be positive, got {length}")
        out = [PAD] * length
        words = self.words(text)
        n = min(len(words), length - 1)
        for i in range(n):
            out[i] = self.id(words[i])
        out[n] = END
        return out


def tokenize_batch(cfg: ModelConfig, prompts: Sequence[str]) -> torch.Tensor:
    """[B, T] token ids of the prompts (None means "")."""
    tok = WordTokenizer(cfg.vocab_size)
    return torch.tensor([tok.encode(p or "", cfg.text_tokens) for p in prompts], dtype=torch.long)


# ================================================================ small parts


def _f32(x: float) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float32)


class Linear(nn.Linear):
    """y = x W^T + b ([out, in] layout), as Java's LinearWeight."""


class PatchEmbed(nn.Module):
    """patch_embed: text_proj on the text embeddings, a stride-p convolution (a linear layer on
    flattened (c, pi, qi) patches) on the latents; also the inverse cut (unpatchify)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        p = cfg.patch_size
        self.proj = nn.Module()
        self.proj.weight = nn.Parameter(torch.zeros(cfg.width, cfg.latent_channels, p, p))
        self.proj.bias = nn.Parameter(torch.zeros(cfg.width))
        self.text_proj = Linear(cfg.text_dim, cfg.width)

    def patchify(self, latents: torch.Tensor) -> torch.Tensor:
        # [B, F, C, h, w] -> [B, F, C, r, p, q, p] -> [B, F, r, q, C, p, p] -> [B, F·r·q, C·p·p]
        b, f, c, h, w = latents.shape
        p = self.cfg.patch_size
        x = latents.reshape(b, f, c, h // p, p, w // p, p).permute(0, 1, 3, 5, 2, 4, 6)
        return x.reshape(b, f * (h // p) * (w // p), c * p * p)

    def unpatchify(self, patches: torch.Tensor, frames: int) -> torch.Tensor:
        cfg, p = self.cfg, self.cfg.patch_size
        b = patches.shape[0]
        r, q, c = cfg.latent_rows, cfg.latent_cols, cfg.latent_channels
        # [B, F·r·q, C·p·p] -> [B, F, r, q, C, p, p] -> [B, F, C, r, p, q, p] -> [B, F, C, h, w]
        x = patches.reshape(b, frames, r, q, c, p, p).permute(0, 1, 4, 2, 5, 3, 6)
        return x.reshape(b, frames, c, r * p, q * p)

    def forward(self, latents: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        text_tokens = self.text_proj(text)  # [B, T, textDim] -> [B, T, W]
        w = self.proj.weight.reshape(self.cfg.width, self.cfg.patch_dim)
        video_tokens = F.linear(self.patchify(latents), w, self.proj.bias)  # [B, V, W]
        return torch.cat([text_tokens, video_tokens], dim=1)  # [B, T + V, W]


class TimestepEmbedding(nn.Module):
    """time_embedding: [cos, sin] features of the timestep (flip_sin_to_cos, shift 0), then
    linear_2(silu(linear_1(.)))."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.width = cfg.width
        self.linear_1 = Linear(cfg.width, cfg.time_embed_dim)
        self.linear_2 = Linear(cfg.time_embed_dim, cfg.time_embed_dim)
        half = cfg.width // 2
        # Java: (float) Math.exp(-Math.log(10000.0) * i / half), in double then rounded
        freq = np.array([math.exp(-math.log(10000.0) * i / half) for i in range(half)])
        self.register_buffer("freq", torch.from_numpy(freq.astype(np.float32)), persistent=False)

    def features(self, timestep: torch.Tensor) -> torch.Tensor:
        # arg = timestep · freq in float32; cos and sin taken in double and rounded, as in Java
        arg = timestep.to(torch.float32)[:, None] * self.freq[None, :]  # [B, W/2]
        a = arg.double()
        return torch.cat([a.cos(), a.sin()], dim=1).float()  # [B, W]

    def forward(self, timestep: torch.Tensor) -> torch.Tensor:
        h = self.linear_1(self.features(timestep))  # [B, W] -> [B, E]
        return self.linear_2(F.silu(h))  # [B, E]


class LayerNormZero(nn.Module):
    """norm1 / norm2 (CogVideoXLayerNormZero): six modulation vectors from temb, in diffusers'
    chunk order (video shift, scale, gate, then text shift, scale, gate)."""

    SHIFT, SCALE, GATE = 0, 1, 2

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.width = cfg.width
        self.linear = Linear(cfg.time_embed_dim, 6 * cfg.width)
        self.norm = nn.LayerNorm(cfg.width, eps=NORM_EPS)
        self.register_buffer("scale_rows", torch.tensor([0, 1, 0, 0, 1, 0], dtype=torch.float32)
                             .reshape(6, 1), persistent=False)

    def modulation(self, temb: torch.Tensor) -> torch.Tensor:
        mods = self.linear(F.silu(temb))  # [B, E] -> [B, 6W]
        return mods.reshape(temb.shape[0], 6, self.width) + self.scale_rows  # [B, 6, W]

    @staticmethod
    def rows_of(mods: torch.Tensor, which: int, text: int, total: int) -> torch.Tensor:
        """[B, total, W]: the text set's vector on the first `text` rows, the video set's after."""
        b, _, w = mods.shape
        return torch.cat([mods[:, 3 + which:4 + which].expand(b, text, w),
                          mods[:, which:which + 1].expand(b, total - text, w)], dim=1)

    def modulate(self, x: torch.Tensor, mods: torch.Tensor, text: int) -> torch.Tensor:
        n = self.norm(x)
        total = x.shape[1]
        return (n * self.rows_of(mods, self.SCALE, text, total)
                + self.rows_of(mods, self.SHIFT, text, total))


class AdaLayerNorm(nn.Module):
    """norm_out: LN(x) ⊙ (1 + scale) + shift, shift first (chunk_dim 1)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.width = cfg.width
        self.linear = Linear(cfg.time_embed_dim, 2 * cfg.width)
        self.norm = nn.LayerNorm(cfg.width, eps=NORM_EPS)
        self.register_buffer("scale_row", torch.tensor([0, 1], dtype=torch.float32).reshape(2, 1),
                             persistent=False)

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        b = temb.shape[0]
        mods = self.linear(F.silu(temb)).reshape(b, 2, self.width) + self.scale_row  # [B, 2, W]
        return self.norm(x) * mods[:, 1:2] + mods[:, 0:1]


class GeluProj(nn.Module):
    def __init__(self, dim_in: int, dim_out: int):
        super().__init__()
        self.proj = Linear(dim_in, dim_out)

    def forward(self, x):
        return F.gelu(self.proj(x), approximate="tanh")


class FeedForward(nn.Module):
    """ff: net.2(gelu_tanh(net.0.proj(x))); net.1 is diffusers' (parameterless) dropout."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.net = nn.ModuleList([GeluProj(cfg.width, cfg.ff_inner_dim), nn.Identity(),
                                  Linear(cfg.ff_inner_dim, cfg.width)])

    def forward(self, x):
        return self.net[2](self.net[0](x))


class Attention(nn.Module):
    """attn1: Q, K, V with per-head LN on Q and K; SDPA without mask; to_out.0."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.heads, self.head_dim = cfg.heads, cfg.head_dim
        w = cfg.width
        self.norm_q = nn.LayerNorm(cfg.head_dim, eps=QK_NORM_EPS)
        self.norm_k = nn.LayerNorm(cfg.head_dim, eps=QK_NORM_EPS)
        self.to_q = Linear(w, w)
        self.to_k = Linear(w, w)
        self.to_v = Linear(w, w)
        self.to_out = nn.ModuleList([Linear(w, w)])

    def _split(self, t):  # [B, L, W] -> [B, L, H, D]
        return t.reshape(t.shape[0], t.shape[1], self.heads, self.head_dim)

    def query(self, n):
        return self.norm_q(self._split(self.to_q(n)))

    def key(self, n):
        return self.norm_k(self._split(self.to_k(n)))

    def value(self, n):
        return self._split(self.to_v(n))

    def attend(self, q, k, v):
        b, lq = q.shape[0], q.shape[1]
        scale = _f32(1.0 / math.sqrt(self.head_dim))
        qh = (q * scale).permute(0, 2, 1, 3)  # [B, H, Lq, D]
        kh = k.permute(0, 2, 1, 3)  # [B, H, Lk, D]
        vh = v.permute(0, 2, 1, 3)
        scores = qh @ kh.transpose(-1, -2)  # [B, H, Lq, Lk]
        out = torch.softmax(scores, dim=-1) @ vh  # [B, H, Lq, D]
        merged = out.permute(0, 2, 1, 3).reshape(b, lq, self.heads * self.head_dim)
        return self.to_out[0](merged)  # [B, Lq, W]


# ================================================================ rotary positions (Rope3d)


class Rope3d:
    """3D RoPE: D split t : h : w = D/4 : 3D/8 : 3D/8, consecutive pairs rotated; text unrotated.
    Tables are constants (no gradient), cached per (first, count)."""

    def __init__(self, cfg: ModelConfig):
        self.cfg = cfg
        d = cfg.head_dim
        self.freq_t = self._freqs(d // 4)
        self.freq_h = self._freqs(d // 8 * 3)
        self.freq_w = self._freqs(d // 8 * 3)
        self._cache: Dict[Tuple[int, int], Tuple[torch.Tensor, torch.Tensor]] = {}

    @staticmethod
    def _freqs(dim: int) -> np.ndarray:
        return np.array([1.0 / ROPE_THETA ** ((2.0 * i) / dim) for i in range(dim // 2)])

    def sequence(self, first: int, count: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """cos, signed sin [T + count, D] for the text tokens then video tokens [first, first +
        count) of a video laid out frame by frame (TokenPositions.sequence)."""
        key = (first, count)
        if key in self._cache:
            return self._cache[key]
        cfg = self.cfg
        t, d = cfg.text_tokens, cfg.head_dim
        per, cols = cfg.tokens_per_frame, cfg.latent_cols
        cos = np.ones((t + count, d))
        sin = np.zeros((t + count, d))
        for k in range(count):
            j = first + k
            pos = (j // per, (j % per) // cols, j % cols)
            at = 0
            for freq, ps in ((self.freq_t, pos[0]), (self.freq_h, pos[1]), (self.freq_w, pos[2])):
                ang = ps * freq
                c = np.cos(ang)
                s = np.sin(ang)
                n = len(freq)
                cos[t + k, at:at + 2 * n:2] = c
                cos[t + k, at + 1:at + 2 * n:2] = c
                sin[t + k, at:at + 2 * n:2] = -s
                sin[t + k, at + 1:at + 2 * n:2] = s
                at += 2 * n
        out = (torch.from_numpy(cos.astype(np.float32)), torch.from_numpy(sin.astype(np.float32)))
        self._cache[key] = out
        return out

    @staticmethod
    def swap_pairs(x: torch.Tensor) -> torch.Tensor:
        s = x.shape
        return x.reshape(*s[:-1], s[-1] // 2, 2).flip(-1).reshape(s)

    @staticmethod
    def apply(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        """x ⊙ cos + swapPairs(x) ⊙ sinSigned; tables broadcast from the right."""
        return x * cos + Rope3d.swap_pairs(x) * sin


# ================================================================ TTT


def gelu_tanh(x):
    return 0.5 * x * (1 + torch.tanh(GELU_C * (x + 0.044715 * x * x * x)))


def gelu_tanh_derivative(x):
    t = torch.tanh(GELU_C * (x + 0.044715 * x * x * x))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x)


def inner_ln(z, w, b):
    """w ⊙ (z − mean) / sqrt(var + 1e-8) + b, biased variance; w, b [H, 1, D]."""
    mean = z.mean(-1, keepdim=True)
    sigma = torch.sqrt(((z - mean) ** 2).mean(-1, keepdim=True) + TTT_INNER_LN_EPS)
    return w * (z - mean) / sigma + b


def inner_ln_l2_grad(z, target, w, b):
    """∂/∂z ½‖LN(z) − target‖², the layer-norm backward written out (TTT_SPEC.md §3)."""
    n = z.shape[-1]
    mean = z.mean(-1, keepdim=True)
    sigma = torch.sqrt(((z - mean) ** 2).mean(-1, keepdim=True) + TTT_INNER_LN_EPS)
    xhat = (z - mean) / sigma
    gamma = (w * xhat + b - target) * w
    return (n * gamma - gamma.sum(-1, keepdim=True)
            - xhat * (gamma * xhat).sum(-1, keepdim=True)) / (n * sigma)


def ttt_scan(kind: str, state: Tuple[torch.Tensor, ...], xq, xk, xv, eta, ln_w, ln_b,
             mini_batch: int):
    """The TTT scan over mini-batches (TTT_SPEC.md §3), differentiable.

    state: (W1 [B,H,D,Fi], b1 [B,H,1,Fi]) (+ (W2 [B,H,Fi,D], b2 [B,H,1,D]) for mlp);
    xq, xk, xv [B, H, L, D] (xv is XV', target = XV' − XK); eta [B, H, L]; ln_w, ln_b [H, D].
    Every token of a mini-batch reads the weights after the whole mini-batch's step. A sequence
    whose length is not a multiple of M ends with a shorter mini-batch (Java refuses such
    lengths; with aligned lengths this is exactly Java's scan).
    Returns out [B, H, L, D] and the state after the last mini-batch."""
    w = ln_w[:, None, :]  # [H, 1, D]
    b = ln_b[:, None, :]
    length = xq.shape[2]
    outs = []
    if kind == "mlp":
        w1, b1, w2, b2 = state
    else:
        w1, b1 = state
    for start in range(0, length, mini_batch):
        stop = min(start + mini_batch, length)
        q = xq[:, :, start:stop]  # [B, H, m, D]
        k = xk[:, :, start:stop]
        target = xv[:, :, start:stop] - k
        e = eta[:, :, start:stop, None]  # [B, H, m, 1]
        if kind == "mlp":
            z1 = k @ w1 + b1  # [B, H, m, Fi]
            x2 = gelu_tanh(z1)
            z2 = x2 @ w2 + b2  # [B, H, m, D]
            g2 = inner_ln_l2_grad(z2, target, w, b)  # [B, H, m, D]
            g1 = (g2 @ w2.transpose(-1, -2)) * gelu_tanh_derivative(z1)  # old W2
            w1 = w1 - (e * k).transpose(-1, -2) @ g1  # [B, H, D, m] @ [B, H, m, Fi]
            b1 = b1 - (e * g1).sum(2, keepdim=True)
            w2 = w2 - (e * x2).transpose(-1, -2) @ g2  # [B, H, Fi, m] @ [B, H, m, D]
            b2 = b2 - (e * g2).sum(2, keepdim=True)
            z = gelu_tanh(q @ w1 + b1) @ w2 + b2
        else:
            z = k @ w1 + b1
            g = inner_ln_l2_grad(z, target, w, b)
            w1 = w1 - (e * k).transpose(-1, -2) @ g
            b1 = b1 - (e * g).sum(2, keepdim=True)
            z = q @ w1 + b1
        outs.append(q + inner_ln(z, w, b))
    new_state = (w1, b1, w2, b2) if kind == "mlp" else (w1, b1)
    return torch.cat(outs, dim=2), new_state


class TttLayer(nn.Module):
    """ssm.ttt: one TTT layer with explicit state (TTT_SPEC.md §2, Java TttLayer)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        w, h, d, fi = cfg.width, cfg.heads, cfg.head_dim, cfg.ttt_inner_width
        self.kind, self.heads, self.head_dim, self.base_lr = cfg.ttt, h, d, cfg.ttt_base_lr
        self.wq = Linear(w, w)
        self.wk = Linear(w, w)
        self.wv = Linear(w, w)
        self.wo = Linear(w, w)
        self.learnable_ttt_lr_weight = nn.Parameter(torch.zeros(h, 1, w))
        self.learnable_ttt_lr_bias = nn.Parameter(torch.zeros(h, 1))
        self.ttt_norm_weight = nn.Parameter(torch.ones(h, d))
        self.ttt_norm_bias = nn.Parameter(torch.zeros(h, d))
        self.post_norm = nn.LayerNorm(w, eps=TTT_POST_NORM_EPS)
        self.W1 = nn.Parameter(torch.zeros(h, d, fi))
        self.b1 = nn.Parameter(torch.zeros(h, 1, fi))
        if cfg.ttt == "mlp":
            self.W2 = nn.Parameter(torch.zeros(h, fi, d))
            self.b2 = nn.Parameter(torch.zeros(h, 1, d))

    def initial_state(self, batch: int):
        ps = (self.W1, self.b1, self.W2, self.b2) if self.kind == "mlp" else (self.W1, self.b1)
        return tuple(p.unsqueeze(0).expand(batch, *p.shape) for p in ps)

    def _heads(self, t):  # [B, L, W] -> [B, H, L, D]
        return t.reshape(t.shape[0], t.shape[1], self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x, state, cos, sin, mini_batch: int):
        """x [B, L, W] in scan order; cos, sin [L, D] rotary tables. Returns out, state."""
        b, length, w = x.shape
        xq = self._heads(self.wq(x))
        xk = self._heads(self.wk(x))
        xv = self._heads(self.wv(x))
        xq = Rope3d.apply(F.normalize(xq, dim=-1, eps=TTT_L2_EPS), cos, sin)
        xk = Rope3d.apply(F.normalize(xk, dim=-1, eps=TTT_L2_EPS), cos, sin)
        r = xv - xk
        r_hat = (r - r.mean(-1, keepdim=True)) / (r.std(-1, unbiased=True, keepdim=True)
                                                  + TTT_TARGET_EPS)
        xv_prime = r_hat * self.ttt_norm_weight[:, None, :] + self.ttt_norm_bias[:, None, :] + xk
        eta_scale = _f32(self.base_lr / self.head_dim / mini_batch)  # Java: float(base/D/M)
        lr = F.linear(x, self.learnable_ttt_lr_weight.reshape(self.heads, w),
                      self.learnable_ttt_lr_bias.reshape(self.heads))  # [B, L, H]
        eta = (torch.sigmoid(lr) * eta_scale).permute(0, 2, 1)  # [B, H, L]
        out, state = ttt_scan(self.kind, state, xq, xk, xv_prime, eta, self.ttt_norm_weight,
                              self.ttt_norm_bias, mini_batch)
        merged = out.permute(0, 2, 1, 3).reshape(b, length, w)
        return self.wo(self.post_norm(merged)), state


class Gate(nn.Module):
    def __init__(self, width: int, init: float):
        super().__init__()
        self.gating_alpha = nn.Parameter(torch.full((width,), float(init)))


# ================================================================ the block and the model


class CogVideoXBlock(nn.Module):
    """transformer_blocks.<i>: adaLN local attention, gated bidirectional TTT, feed-forward
    (Java CogVideoXBlock, run here over all segments at once)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.norm1 = LayerNormZero(cfg)
        self.attn1 = Attention(cfg)
        if cfg.ttt != "none":
            self.ssm = nn.Module()
            self.ssm.ttt = TttLayer(cfg)
            for g in GATE_NAMES:
                setattr(self, g.split(".")[0], Gate(cfg.width, cfg.gate_init))
        else:
            self.ssm = None
        self.norm2 = LayerNormZero(cfg)
        self.ff = FeedForward(cfg)

    # ---------------------------------------------------------------- attention

    def _segment_windows(self, hidden, mods, rope):
        cfg = self.cfg
        text, per = cfg.text_tokens, cfg.tokens_per_frame
        mix = [None] * len(hidden)
        for s, x in enumerate(hidden):
            prefix = 0 if s == 0 else per
            parts = [x[:, :text]]
            if prefix:
                parts.append(hidden[s - 1][:, -prefix:])
            parts.append(x[:, text:])
            window = torch.cat(parts, dim=1)  # [B, T + P? + V_s, W]
            wl = window.shape[1]
            n = self.norm1.modulate(window, mods, text)
            cos, sin = rope.sequence(0, wl - text)  # window-local frames
            cos, sin = cos[:, None, :], sin[:, None, :]  # [WL, 1, D] over [B, WL, H, D]
            q = Rope3d.apply(self.attn1.query(n), cos, sin)
            k = Rope3d.apply(self.attn1.key(n), cos, sin)
            out = self.attn1.attend(q, k, self.attn1.value(n))  # [B, WL, W]
            mix[s] = out if not prefix else torch.cat([out[:, :text], out[:, text + prefix:]], 1)
            if prefix:
                pm = mix[s - 1]
                averaged = (pm[:, -prefix:] + out[:, text:text + prefix]) * _f32(0.5)
                mix[s - 1] = torch.cat([pm[:, :-prefix], averaged], dim=1)
        return mix

    def _shared_keys(self, hidden, mods, rope, positions):
        cfg = self.cfg
        text = cfg.text_tokens
        scope, n_seg = cfg.attention_scope()
        keys, values, queries = [], [], []
        for s, x in enumerate(hidden):
            n = self.norm1.modulate(x, mods, text)
            cos, sin = rope.sequence(positions.video_start(s), x.shape[1] - text)
            cos, sin = cos[:, None, :], sin[:, None, :]
            keys.append(Rope3d.apply(self.attn1.key(n), cos, sin))
            values.append(self.attn1.value(n))
            queries.append(Rope3d.apply(self.attn1.query(n), cos, sin))
        mix = []
        for s in range(len(hidden)):
            if scope == "full":
                ks, vs = keys, values
            else:
                ks, vs = [keys[s][:, :text]], [values[s][:, :text]]
                for j in range(max(0, s - n_seg + 1), s + 1):
                    ks.append(keys[j][:, text:])
                    vs.append(values[j][:, text:])
            mix.append(self.attn1.attend(queries[s], torch.cat(ks, 1), torch.cat(vs, 1)))
        return mix

    # ---------------------------------------------------------------- TTT

    def _gate_rows(self, direction: str, text: int, total: int):
        t = torch.tanh(getattr(self, f"{direction}_ssm_gating_text").gating_alpha)
        v = torch.tanh(getattr(self, f"{direction}_ssm_gating_video").gating_alpha)
        return torch.cat([t.expand(text, -1), v.expand(total - text, -1)], dim=0)  # [L, W]

    def _ttt(self, mix, rope, positions, mini_batch):
        cfg = self.cfg
        text = cfg.text_tokens
        ttt = self.ssm.ttt
        nb = mix[0].shape[0]
        segments = len(mix)
        mix = list(mix)
        # forward scan: segments in order, each piece [text_s, video_s], global video positions
        state = ttt.initial_state(nb)
        for s in range(segments):
            x = mix[s]
            length = x.shape[1]
            cos, sin = rope.sequence(positions.video_start(s), length - text)
            out, state = ttt(x, state, cos, sin, mini_batch)
            mix[s] = x + out * self._gate_rows("forward", text, length)
        if cfg.bidirectional:
            # backward scan: segments last to first, text kept in order, video tokens reversed;
            # rotary positions are those of the reversed video sequence handed to the layer
            state = ttt.initial_state(nb)
            total_video = positions.video_tokens(segments)
            for s in reversed(range(segments)):
                y1 = mix[s]
                length = y1.shape[1]
                video = length - text
                perm = torch.cat([torch.arange(text), torch.arange(length - 1, text - 1, -1)])
                piece = y1[:, perm]
                first = total_video - positions.video_start(s) - video
                cos, sin = rope.sequence(first, video)
                out, state = ttt(piece, state, cos, sin, mini_batch)
                mix[s] = y1 + out[:, perm] * self._gate_rows("backward", text, length)
        return mix

    # ---------------------------------------------------------------- the block

    def forward(self, hidden: List[torch.Tensor], temb, rope, positions, mini_batch: int,
                use_ttt: bool = True):
        cfg = self.cfg
        text = cfg.text_tokens
        mods1 = self.norm1.modulation(temb)  # [B, 6, W]
        if cfg.attention_scope()[0] == "segment":
            mix = self._segment_windows(hidden, mods1, rope)
        else:
            mix = self._shared_keys(hidden, mods1, rope, positions)
        if self.ssm is not None and use_ttt:
            mix = self._ttt(mix, rope, positions, mini_batch)
        mods2 = self.norm2.modulation(temb)
        out = []
        for s, x in enumerate(hidden):
            length = x.shape[1]
            x = x + mix[s] * LayerNormZero.rows_of(mods1, LayerNormZero.GATE, text, length)
            n = self.norm2.modulate(x, mods2, text)
            gate = LayerNormZero.rows_of(mods2, LayerNormZero.GATE, text, length)
            out.append(x + self.ff(n) * gate)
        return out


class TokenPositions:
    def __init__(self, cfg: ModelConfig):
        self.cfg = cfg

    def video_start(self, s: int) -> int:
        c = self.cfg
        return 0 if s == 0 else c.video_tokens_of(0) + (s - 1) * c.video_tokens_of(1)

    def video_tokens(self, segments: int) -> int:
        return self.video_start(segments)


class TextEncoder(nn.Module):
    """text_encoder: LN(token_embedding[id] + position_embedding)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.text_dim)
        self.position_embedding = nn.Embedding(cfg.text_tokens, cfg.text_dim)
        self.final_layer_norm = nn.LayerNorm(cfg.text_dim, eps=NORM_EPS)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:  # [B, T] -> [B, T, textDim]
        return self.final_layer_norm(self.token_embedding(ids) + self.position_embedding.weight)


class LatentDecoder(nn.Module):
    """latent_decoder (LinearPatchDecoder): each latent pixel with the same pixel of the previous
    frame -> an r x s x s RGB block, (tanh + 1) / 2; the video's first latent frame gives one
    frame (the last of its r)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        k = cfg.temporal_compression * cfg.spatial_compression ** 2 * 3
        self.proj = Linear(2 * cfg.latent_channels, k)

    def forward(self, latents: torch.Tensor, previous: Optional[torch.Tensor] = None,
                decoded_frames: int = 0):
        """latents [F, C, h, w]; previous [C, h, w] or None; returns (frames [F', H, W, 3],
        (last latent frame, decoded latent frames)) as the decoder cache."""
        cfg = self.cfg
        f, c, h, w = latents.shape
        r, s = cfg.temporal_compression, cfg.spatial_compression
        prev0 = previous if previous is not None else torch.zeros_like(latents[0])
        prev = torch.cat([prev0[None], latents[:-1]], dim=0)
        x = torch.cat([latents, prev], dim=1).permute(0, 2, 3, 1)  # [F, h, w, 2C]
        px = (torch.tanh(self.proj(x)) + _f32(1.0)) * _f32(0.5)  # [F, h, w, K]
        px = px.reshape(f, h, w, r, s, s, 3).permute(0, 3, 1, 4, 2, 5, 6)
        frames = px.reshape(f * r, h * s, w * s, 3)
        if decoded_frames == 0:
            frames = frames[r - 1:]
        return frames, (latents[-1], decoded_frames + f)


class VideoModel(nn.Module):
    """All weights of a model under the Java names: the diffusion transformer at the root
    (patch_embed, time_embedding, transformer_blocks, norm_final, norm_out, proj_out) and, for
    presets with a vocabulary, text_encoder and latent_decoder."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.patch_embed = PatchEmbed(cfg)
        self.time_embedding = TimestepEmbedding(cfg)
        self.transformer_blocks = nn.ModuleList([CogVideoXBlock(cfg) for _ in range(cfg.layers)])
        self.norm_final = nn.LayerNorm(cfg.width, eps=NORM_EPS)
        self.norm_out = AdaLayerNorm(cfg)
        self.proj_out = Linear(cfg.width, cfg.patch_dim)
        if cfg.vocab_size > 0:
            self.text_encoder = TextEncoder(cfg)
        if cfg.vocab_size > 0 and not cfg.vae:
            self.latent_decoder = LatentDecoder(cfg)
        self.rope = Rope3d(cfg)
        self.positions = TokenPositions(cfg)

    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        return self.text_encoder(ids)

    def forward(self, latents: Sequence[torch.Tensor], text: Sequence[torch.Tensor], timestep,
                mini_batch: Optional[int] = None, use_ttt: bool = True) -> List[torch.Tensor]:
        """One denoising step's prediction for a whole video (Java DiffusionTransformer.forward).

        latents: per segment [B, F_s, C, h, w]; text: per segment [B, T, textDim] embeddings;
        timestep: a number (every batch entry) or a tensor [B]; mini_batch: the TTT mini-batch
        (default cfg.ttt_mini_batch; training uses 64); use_ttt False skips the TTT scans (the
        same as all gates at zero). Returns per segment [B, F_s, C, h, w]."""
        cfg = self.cfg
        nb = latents[0].shape[0]
        if not torch.is_tensor(timestep):
            timestep = torch.full((nb,), float(timestep))
        elif timestep.dim() == 0:
            timestep = timestep.reshape(1).expand(nb)
        m = mini_batch or cfg.ttt_mini_batch
        temb = self.time_embedding(timestep)  # [B, E]
        hidden = [self.patch_embed(latents[s], text[s]) for s in range(len(latents))]
        for blk in self.transformer_blocks:
            hidden = blk(hidden, temb, self.rope, self.positions, m, use_ttt)
        out = []
        for s, h in enumerate(hidden):
            x = self.norm_out(self.norm_final(h[:, cfg.text_tokens:]), temb)
            out.append(self.patch_embed.unpatchify(self.proj_out(x), cfg.frames_of(s)))
        return out


# ================================================================ initialisation


def init_weights(model: VideoModel, seed: int = 0):
    """As ModelWeights.init (different random values): weights normal(0, 0.02), biases zero,
    norm weights one (ttt_norm_weight too), TTT gates gate_init."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "_ssm_gating_" in name:
                p.fill_(model.cfg.gate_init)
            elif name.endswith("ttt_norm_weight") or (name.endswith(".weight") and p.dim() == 1):
                p.fill_(1.0)
            elif name.endswith(".weight") or name.endswith("learnable_ttt_lr_weight") \
                    or name.endswith("W1") or name.endswith("W2"):
                p.copy_(torch.randn(p.shape, generator=g) * INIT_STD)
            else:
                p.zero_()


# ================================================================ noise schedule and sampler

TRAIN_TIMESTEPS = 1000


def alphas_cumprod(shift: float = 1.0) -> np.ndarray:
    """ᾱ in float64: scaled_linear betas 0.00085..0.012, SNR shift, zero-terminal-SNR rescale
    (as tools/dit/ddim_reference.py and DdimSampler.alphasCumprod)."""
    a, b = math.sqrt(0.00085), math.sqrt(0.012)
    ac = np.empty(TRAIN_TIMESTEPS)
    prod = 1.0
    for i in range(TRAIN_TIMESTEPS):
        sb = a + (b - a) * i / (TRAIN_TIMESTEPS - 1)
        prod *= 1.0 - sb * sb
        ac[i] = prod / (shift + (1 - shift) * prod)
    s = np.sqrt(ac)
    s0, st = s[0], s[-1]
    s = (s - st) * (s0 / (s0 - st))
    return s * s


ALPHAS_CUMPROD = alphas_cumprod()


class DdimSampler:
    """DDIM (η = 0) for v-prediction with the dynamic CFG schedule (Java DdimSampler)."""

    def __init__(self, steps: int, guidance_scale: float = 6.0, guidance_exponent: float = 5.0):
        if not 1 <= steps <= TRAIN_TIMESTEPS:
            raise ValueError(f"steps must be in 1..{TRAIN_TIMESTEPS}, got {steps}")
        self.steps, self.scale, self.exponent = steps, guidance_scale, guidance_exponent
        ratio = TRAIN_TIMESTEPS / steps
        self.timesteps = (np.round(np.arange(TRAIN_TIMESTEPS, 0, -ratio)).astype(np.int64)
                          - 1).tolist()

    def guidance_scale(self, i: int) -> float:
        return 1 + self.scale * (1 - math.cos(math.pi * (i / self.steps) ** self.exponent)) / 2

    def guide(self, v_uncond, v_cond, i: int):
        return v_uncond + (v_cond - v_uncond) * _f32(self.guidance_scale(i))

    def step(self, i: int, v, sample):
        t = self.timesteps[i]
        prev = t - TRAIN_TIMESTEPS // self.steps
        a = ALPHAS_CUMPROD[t]
        a_prev = ALPHAS_CUMPROD[prev] if prev >= 0 else 1.0
        x0 = sample * _f32(math.sqrt(a)) - v * _f32(math.sqrt(1 - a))
        at = math.sqrt((1 - a_prev) / (1 - a))
        bt = math.sqrt(a_prev) - math.sqrt(a) * at
        return sample * _f32(at) + x0 * _f32(bt)


@torch.no_grad()
def sample(model: VideoModel, prompts: Sequence[str], negative_prompts: Sequence[str],
           noise: Sequence[torch.Tensor], steps: int, guidance_scale: Optional[float] = None,
           decode: bool = True, vae=None, scaling_factor: float = 1.0):
    """What Java's Generator does: per segment the negative prompt then the prompt as a batch of
    2, DDIM from the given initial noise (per segment [F_s, C, h, w]), then segment-by-segment
    decoding with the causal cache (the built-in decoder, or for a vae preset the given
    cogvideox_vae.CausalVae on latents / scaling_factor, frames [N, H, W, 3] in [0, 1]). Returns
    (final latents per segment, frames per segment)."""
    cfg = model.cfg
    sampler = DdimSampler(steps, cfg.guidance_scale if guidance_scale is None else guidance_scale,
                          cfg.guidance_exponent)
    text = []
    for s in range(len(noise)):
        ids = tokenize_batch(cfg, [negative_prompts[s] or "", prompts[s]])
        text.append(model.encode_text(ids))  # [2, T, textDim]
    latents = [n.clone() for n in noise]
    for i in range(steps):
        t = float(sampler.timesteps[i])
        v = model([x[None].expand(2, *x.shape) for x in latents], text, t)
        latents = [sampler.step(i, sampler.guide(v[s][0], v[s][1], i), latents[s])
                   for s in range(len(latents))]
    frames = []
    if decode and cfg.vae:
        if vae is None:
            raise ValueError(f"preset '{cfg.name}' decodes with a VAE: pass vae=")
        cache = {}
        for s, x in enumerate(latents):
            z = (x / _f32(scaling_factor)).permute(1, 0, 2, 3)[None]  # [1, C, F, h, w]
            y = vae.decode_chunk(z, s == 0, cache)[0]  # [3, N, H, W]
            frames.append(((y.permute(1, 2, 3, 0) + 1) * 0.5).clamp(0, 1))
    elif decode:
        prev, count = None, 0
        for x in latents:
            f, (prev, count) = model.latent_decoder(x, prev, count)
            frames.append(f)
    return latents, frames


# ================================================================ training


def diffusion_loss(model: VideoModel, latents: Sequence[torch.Tensor], text: Sequence[torch.Tensor],
                   generator: torch.Generator, mini_batch: Optional[int] = None,
                   use_ttt: bool = True) -> torch.Tensor:
    """v-prediction loss on CogVideoX's DDPM schedule, one random timestep per sample.

    latents: clean latents per segment [B, F_s, C, h, w]; text: per segment either token ids
    [B, T] (long, encoded by the model's text encoder, which is then trained too) or embeddings
    [B, T, textDim]; generator draws timesteps and noise. x_t = √ᾱ x₀ + √(1−ᾱ) ε, target
    v = √ᾱ ε − √(1−ᾱ) x₀; mean squared error over every element of every segment."""
    nb = latents[0].shape[0]
    t = torch.randint(0, TRAIN_TIMESTEPS, (nb,), generator=generator)
    ac = torch.from_numpy(ALPHAS_CUMPROD).to(torch.float32)[t]
    sa = ac.sqrt().reshape(nb, 1, 1, 1, 1)
    sb = (1 - ac).sqrt().reshape(nb, 1, 1, 1, 1)
    noisy, targets = [], []
    for x0 in latents:
        eps = torch.randn(x0.shape, generator=generator)
        noisy.append(sa * x0 + sb * eps)
        targets.append(sa * eps - sb * x0)
    emb = [model.encode_text(x) if x.dtype == torch.long else x for x in text]
    pred = model(noisy, emb, t.to(torch.float32), mini_batch=mini_batch, use_ttt=use_ttt)
    se = sum(((p - y) ** 2).sum() for p, y in zip(pred, targets))
    return se / sum(y.numel() for y in targets)
