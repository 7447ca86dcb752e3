"""A causal 3D convolutional autoencoder in the design of CogVideoX's VAE, at any size.

Written here from the structure of diffusers' AutoencoderKLCogVideoX (its configuration keys,
module tree and tensor names, so a real CogVideoX VAE checkpoint has the same names and the Java
decoder, `org.tttvideo.model.decode.CausalVaeDecoder`, reads both), with one rule stated
explicitly instead of left to frame-count parity:

* **Decoding and encoding go chunk by chunk with a cache.** A call takes one chunk of frames and
  the cache the previous call returned; every causal convolution with a temporal kernel k > 1
  prepends the last k - 1 frames it saw (at the very start of a video: k - 1 copies of the first
  frame). Group norm statistics are those of the chunk. The chunking is the definition: our
  model decodes one DiT segment per call (4 latent frames, then 3); CogVideoX's reference decodes
  3 latent frames, then 2 at a time.
* **The first frame of a video is an image.** Where time is compressed, the video's first frame is
  resampled in space only (so 1 + 8k frames <-> 1 + k latents at 8x); every other frame is paired
  (down: averaged; up: repeated). diffusers decides this by odd frame count, which is the same
  rule for CogVideoX's chunking (an odd first chunk, even chunks after it).

Tensors are [B, C, T, H, W], pixels in [-1, 1].
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


DEFAULT_CONFIG = {
    "in_channels": 3,
    "out_channels": 3,
    "latent_channels": 8,
    "block_out_channels": [8, 16, 32, 64],
    "layers_per_block": 1,
    "norm_num_groups": 4,
    "norm_eps": 1e-6,
    "temporal_compression_ratio": 8,
    "scaling_factor": 1.0,
}


class CausalConv3d(nn.Module):
    """Conv3d padded causally in time (cache or first-frame copies) and with zeros in space."""

    def __init__(self, cin, cout, kernel_size, stride=1):
        super().__init__()
        k = (kernel_size,) * 3 if isinstance(kernel_size, int) else tuple(kernel_size)
        self.kt = k[0]
        self.pad_h = (k[1] - 1) // 2
        self.pad_w = (k[2] - 1) // 2
        self.conv = nn.Conv3d(cin, cout, k, stride=(stride, 1, 1))

    def forward(self, x, cache):
        if self.kt > 1:
            before = cache if cache is not None else x[:, :, :1].expand(-1, -1, self.kt - 1, -1, -1)
            x = torch.cat([before, x], dim=2)
            new_cache = x[:, :, -(self.kt - 1):]
        else:
            new_cache = None
        x = F.pad(x, (self.pad_w, self.pad_w, self.pad_h, self.pad_h))
        return self.conv(x), new_cache


def _first_apart(x, first, fn):
    """Applies fn to the first frame alone and to the rest, when this chunk starts the video."""
    if first and x.shape[2] > 1:
        return torch.cat([fn(x[:, :, :1], True), fn(x[:, :, 1:], False)], dim=2)
    return fn(x, first and x.shape[2] == 1)


class SpatialNorm3d(nn.Module):
    """Group norm of f, modulated by the latents zq resized to f: norm(f) * conv_y(zq) + conv_b(zq)."""

    def __init__(self, f_channels, zq_channels, groups, eps):
        super().__init__()
        self.norm_layer = nn.GroupNorm(groups, f_channels, eps=eps, affine=True)
        self.conv_y = CausalConv3d(zq_channels, f_channels, 1)
        self.conv_b = CausalConv3d(zq_channels, f_channels, 1)

    def forward(self, f, zq, first):
        if first and f.shape[2] > 1 and zq.shape[2] > 1:
            z0 = F.interpolate(zq[:, :, :1], size=(1,) + tuple(f.shape[-2:]))
            zr = F.interpolate(zq[:, :, 1:], size=(f.shape[2] - 1,) + tuple(f.shape[-2:]))
            zq = torch.cat([z0, zr], dim=2)
        else:
            zq = F.interpolate(zq, size=tuple(f.shape[-3:]))
        y, _ = self.conv_y(zq, None)
        b, _ = self.conv_b(zq, None)
        return self.norm_layer(f) * y + b


class ResnetBlock3d(nn.Module):
    def __init__(self, cin, cout, groups, eps, zq_channels=None):
        super().__init__()
        if zq_channels is None:
            self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
            self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        else:
            self.norm1 = SpatialNorm3d(cin, zq_channels, groups, eps)
            self.norm2 = SpatialNorm3d(cout, zq_channels, groups, eps)
        self.spatial = zq_channels is not None
        self.conv1 = CausalConv3d(cin, cout, 3)
        self.conv2 = CausalConv3d(cout, cout, 3)
        self.conv_shortcut = nn.Conv3d(cin, cout, 1) if cin != cout else None

    def _norm(self, norm, x, zq, first):
        return norm(x, zq, first) if self.spatial else norm(x)

    def forward(self, x, zq, first, cache, name):
        h = F.silu(self._norm(self.norm1, x, zq, first))
        h, cache[name + ".conv1"] = self.conv1(h, cache.get(name + ".conv1"))
        h = F.silu(self._norm(self.norm2, h, zq, first))
        h, cache[name + ".conv2"] = self.conv2(h, cache.get(name + ".conv2"))
        if self.conv_shortcut is not None:
            x = self.conv_shortcut(x)
        return x + h


class Downsampling3d(nn.Module):
    def __init__(self, channels, compress_time):
        super().__init__()
        self.compress_time = compress_time
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=0)

    def forward(self, x, first):
        if self.compress_time:
            def pool(part, image):
                if image:
                    return part
                b, c, t, h, w = part.shape
                return part.reshape(b, c, t // 2, 2, h, w).mean(dim=3)
            x = _first_apart(x, first, pool)
        x = F.pad(x, (0, 1, 0, 1))
        b, c, t, h, w = x.shape
        y = self.conv(x.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w))
        return y.reshape(b, t, c, y.shape[-2], y.shape[-1]).permute(0, 2, 1, 3, 4)


class Upsampling3d(nn.Module):
    def __init__(self, channels, compress_time):
        super().__init__()
        self.compress_time = compress_time
        self.conv = nn.Conv2d(channels, channels, 3, stride=1, padding=1)

    def forward(self, x, first):
        if self.compress_time:
            def up(part, image):
                return F.interpolate(part, scale_factor=(1.0 if image else 2.0, 2.0, 2.0))
            x = _first_apart(x, first, up)
        else:
            x = F.interpolate(x, scale_factor=(1.0, 2.0, 2.0))
        b, c, t, h, w = x.shape
        y = self.conv(x.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w))
        return y.reshape(b, t, c, h, w).permute(0, 2, 1, 3, 4)


class Block(nn.Module):
    """A down, mid or up block: resnets, then at most one resampler."""

    def __init__(self, cin, cout, layers, groups, eps, zq_channels=None, sampler=None, kind=None):
        super().__init__()
        self.resnets = nn.ModuleList(
            [ResnetBlock3d(cin if i == 0 else cout, cout, groups, eps, zq_channels) for i in range(layers)])
        self.kind = kind  # "downsamplers" or "upsamplers", the diffusers name
        if sampler is not None:
            setattr(self, kind, nn.ModuleList([sampler]))

    def forward(self, x, zq, first, cache, name):
        for i, r in enumerate(self.resnets):
            x = r(x, zq, first, cache, f"{name}.resnets.{i}")
        if self.kind is not None and hasattr(self, self.kind):
            x = getattr(self, self.kind)[0](x, first)
        return x


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch, g, eps = cfg["block_out_channels"], cfg["norm_num_groups"], cfg["norm_eps"]
        levels = int(round(math.log2(cfg["temporal_compression_ratio"])))
        self.conv_in = CausalConv3d(cfg["in_channels"], ch[0], 3)
        self.down_blocks = nn.ModuleList()
        cout = ch[0]
        for i, c in enumerate(ch):
            cin, cout = cout, c
            final = i == len(ch) - 1
            self.down_blocks.append(Block(
                cin, cout, cfg["layers_per_block"], g, eps,
                sampler=None if final else Downsampling3d(cout, i < levels), kind="downsamplers"))
        self.mid_block = Block(ch[-1], ch[-1], 2, g, eps)
        self.norm_out = nn.GroupNorm(g, ch[-1], eps=eps)
        self.conv_out = CausalConv3d(ch[-1], 2 * cfg["latent_channels"], 3)

    def forward(self, x, first, cache):
        x, cache["conv_in"] = self.conv_in(x, cache.get("conv_in"))
        for i, b in enumerate(self.down_blocks):
            x = b(x, None, first, cache, f"down_blocks.{i}")
        x = self.mid_block(x, None, first, cache, "mid_block")
        x = F.silu(self.norm_out(x))
        x, cache["conv_out"] = self.conv_out(x, cache.get("conv_out"))
        return x


class Decoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch = list(reversed(cfg["block_out_channels"]))
        g, eps, zc = cfg["norm_num_groups"], cfg["norm_eps"], cfg["latent_channels"]
        levels = int(round(math.log2(cfg["temporal_compression_ratio"])))
        self.conv_in = CausalConv3d(zc, ch[0], 3)
        self.mid_block = Block(ch[0], ch[0], 2, g, eps, zc)
        self.up_blocks = nn.ModuleList()
        cout = ch[0]
        for i, c in enumerate(ch):
            cin, cout = cout, c
            final = i == len(ch) - 1
            self.up_blocks.append(Block(
                cin, cout, cfg["layers_per_block"] + 1, g, eps, zc,
                sampler=None if final else Upsampling3d(cout, i < levels), kind="upsamplers"))
        self.norm_out = SpatialNorm3d(ch[-1], zc, g, eps)
        self.conv_out = CausalConv3d(ch[-1], cfg["out_channels"], 3)

    def forward(self, z, first, cache):
        x, cache["conv_in"] = self.conv_in(z, cache.get("conv_in"))
        x = self.mid_block(x, z, first, cache, "mid_block")
        for i, b in enumerate(self.up_blocks):
            x = b(x, z, first, cache, f"up_blocks.{i}")
        x = F.silu(self.norm_out(x, z, first))
        x, cache["conv_out"] = self.conv_out(x, cache.get("conv_out"))
        return x


class CausalVae(nn.Module):
    """encoder.* and decoder.* as in diffusers; no quant convs (CogVideoX has none)."""

    def __init__(self, cfg=None):
        super().__init__()
        self.cfg = dict(DEFAULT_CONFIG if cfg is None else cfg)
        self.encoder = Encoder(self.cfg)
        self.decoder = Decoder(self.cfg)

    def encode_chunk(self, x, first, cache):
        """x [B, 3, T, H, W] in [-1, 1] -> (mean, logvar), each [B, C, t, h, w]."""
        moments = self.encoder(x, first, cache)
        mean, logvar = moments.chunk(2, dim=1)
        return mean, logvar.clamp(-30.0, 20.0)

    def decode_chunk(self, z, first, cache):
        """z [B, C, t, h, w] (unscaled) -> pixels [B, 3, T, H, W] in about [-1, 1]."""
        return self.decoder(z, first, cache)

    def encode_video(self, x, chunk_frames):
        """Encodes chunk by chunk (chunk_frames[i] frames each) and returns the means, concatenated."""
        cache, means, at = {}, [], 0
        for i, n in enumerate(chunk_frames):
            m, _ = self.encode_chunk(x[:, :, at:at + n], i == 0, cache)
            means.append(m)
            at += n
        return torch.cat(means, dim=2)

    def decode_video(self, z, chunk_latents):
        cache, out, at = {}, [], 0
        for i, n in enumerate(chunk_latents):
            out.append(self.decode_chunk(z[:, :, at:at + n], i == 0, cache))
            at += n
        return torch.cat(out, dim=2)


def segment_chunks(segments, first_latents, latents_per_segment, compression):
    """Latent and pixel frames per chunk when every DiT segment is one chunk."""
    lat = [first_latents] + [latents_per_segment] * (segments - 1)
    pix = [1 + (first_latents - 1) * compression] + [latents_per_segment * compression] * (segments - 1)
    return lat, pix


def save_config(cfg, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")


def load_config(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
