#!/usr/bin/env python3
"""Checks of the PyTorch mirror that need no Java (the Java comparison is TorchParityTest).

Run from the repository root:  /usr/bin/python3 tools/train/test_dit.py
"""
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dit  # noqa: E402

torch.set_num_threads(1)


class InnerLoop(unittest.TestCase):
    def test_written_out_layer_norm_backward_equals_autograd(self):
        g = torch.Generator().manual_seed(0)
        z = torch.randn(2, 3, 5, 16, generator=g, dtype=torch.float64, requires_grad=True)
        target = torch.randn(2, 3, 5, 16, generator=g, dtype=torch.float64)
        w = torch.randn(3, 1, 16, generator=g, dtype=torch.float64)
        b = torch.randn(3, 1, 16, generator=g, dtype=torch.float64)
        loss = 0.5 * ((dit.inner_ln(z, w, b) - target) ** 2).sum()
        (auto,) = torch.autograd.grad(loss, z)
        mine = dit.inner_ln_l2_grad(z.detach(), target, w, b)
        self.assertLess((auto - mine).abs().max().item(), 1e-10)

    def test_gelu_derivative_equals_autograd(self):
        x = torch.linspace(-6, 6, 1001, dtype=torch.float64, requires_grad=True)
        (auto,) = torch.autograd.grad(dit.gelu_tanh(x).sum(), x)
        self.assertLess((auto - dit.gelu_tanh_derivative(x.detach())).abs().max().item(), 1e-12)

    def test_inner_step_is_gradient_descent_on_the_summed_loss(self):
        # W ← W − Σ_j η_j ∇_W ℓ_j: compare one mini-batch's update with autograd
        g = torch.Generator().manual_seed(1)
        bsz, h, m, d, f = 1, 2, 4, 16, 64
        k = torch.randn(bsz, h, m, d, generator=g, dtype=torch.float64)
        q = torch.randn(bsz, h, m, d, generator=g, dtype=torch.float64)
        v = torch.randn(bsz, h, m, d, generator=g, dtype=torch.float64)
        eta = torch.rand(bsz, h, m, generator=g, dtype=torch.float64)
        ln_w = torch.randn(h, d, generator=g, dtype=torch.float64)
        ln_b = torch.randn(h, d, generator=g, dtype=torch.float64)
        params = [torch.randn(bsz, h, d, f, generator=g, dtype=torch.float64) * 0.1,
                  torch.randn(bsz, h, 1, f, generator=g, dtype=torch.float64) * 0.1,
                  torch.randn(bsz, h, f, d, generator=g, dtype=torch.float64) * 0.1,
                  torch.randn(bsz, h, 1, d, generator=g, dtype=torch.float64) * 0.1]
        _, new = dit.ttt_scan("mlp", tuple(params), q, k, v, eta, ln_w, ln_b, m)
        p = [x.clone().requires_grad_(True) for x in params]
        z = dit.gelu_tanh(k @ p[0] + p[1]) @ p[2] + p[3]
        per_token = 0.5 * ((dit.inner_ln(z, ln_w[:, None], ln_b[:, None]) - (v - k)) ** 2).sum(-1)
        grads = torch.autograd.grad((per_token * eta).sum(), p)
        for before, after, gr in zip(params, new, grads):
            self.assertLess((after - (before - gr)).abs().max().item(), 1e-10)

    def test_scanning_in_pieces_carrying_the_state_equals_one_scan(self):
        cfg = dit.ModelConfig.tiny()
        model = dit.VideoModel(cfg)
        dit.init_weights(model, 3)
        layer = model.transformer_blocks[0].ssm.ttt
        x = torch.randn(2, 16, cfg.width, generator=torch.Generator().manual_seed(4))
        one = (torch.ones(16, cfg.head_dim), torch.zeros(16, cfg.head_dim))
        half = (torch.ones(8, cfg.head_dim), torch.zeros(8, cfg.head_dim))
        whole, s_whole = layer(x, layer.initial_state(2), *one, 4)
        a, s = layer(x[:, :8], layer.initial_state(2), *half, 4)
        b, s = layer(x[:, 8:], s, *half, 4)
        self.assertLess((torch.cat([a, b], 1) - whole).abs().max().item(), 1e-6)
        for u, w in zip(s, s_whole):
            self.assertLess((u - w).abs().max().item(), 1e-7)


class Model(unittest.TestCase):
    def test_parameter_names_and_shapes_are_the_java_ones(self):
        for cfg in (dit.ModelConfig.tiny(), dit.ModelConfig.small(),
                    dit.ModelConfig.tiny().replace(ttt="none"),
                    dit.ModelConfig.tiny().replace(ttt="linear")):
            sd = dit.VideoModel(cfg).state_dict()
            expected = dit.expected_shapes(cfg)
            self.assertEqual(set(sd), set(expected), cfg)
            for k, shape in expected.items():
                self.assertEqual(tuple(sd[k].shape), shape, k)

    def test_the_outer_loss_trains_the_ttt_parameters_and_stage_one_ignores_them(self):
        cfg = dit.ModelConfig.tiny()
        model = dit.VideoModel(cfg)
        dit.init_weights(model, 5)
        latents = [torch.randn(2, cfg.frames_of(s), 4, 4, 4) for s in range(2)]
        ids = dit.tokenize_batch(cfg, ["a cat runs", "a mouse sleeps"])
        loss = dit.diffusion_loss(model, latents, [ids, ids], torch.Generator().manual_seed(0))
        loss.backward()
        ttt = model.transformer_blocks[0].ssm.ttt
        for p in (ttt.W1, ttt.b1, ttt.W2, ttt.b2, ttt.learnable_ttt_lr_weight,
                  model.transformer_blocks[0].forward_ssm_gating_video.gating_alpha):
            self.assertGreater(p.grad.abs().sum().item(), 0)
        model.zero_grad(set_to_none=True)
        loss = dit.diffusion_loss(model, latents, [ids, ids], torch.Generator().manual_seed(0),
                                  use_ttt=False)
        loss.backward()
        self.assertIsNone(ttt.W1.grad)
        self.assertIsNotNone(model.proj_out.weight.grad)

    def test_stage_one_weights_load_into_a_ttt_model(self):
        base = dit.VideoModel(dit.ModelConfig.tiny().replace(ttt="none"))
        dit.init_weights(base, 6)
        full = dit.VideoModel(dit.ModelConfig.tiny())
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "stage1.safetensors")
            dit.save_safetensors(base, path)
            with self.assertRaisesRegex(ValueError, "missing tensor 'transformer_blocks.0.ssm"):
                dit.load_safetensors(full, path)
            dit.load_safetensors(full, path, ignore_ttt=True)
        self.assertTrue(torch.equal(full.proj_out.weight, base.proj_out.weight))

    def test_partial_last_mini_batch_is_allowed_for_training(self):
        cfg = dit.ModelConfig.small()
        model = dit.VideoModel(cfg)
        dit.init_weights(model, 7)
        latents = [torch.randn(1, cfg.frames_of(s), 4, 16, 24) for s in range(2)]
        ids = dit.tokenize_batch(cfg, ["a cat"])
        with torch.no_grad():
            out = model(latents, [model.encode_text(ids)] * 2, 500.0, mini_batch=64)
        self.assertEqual(tuple(out[1].shape), (1, 3, 4, 16, 24))


class Safetensors(unittest.TestCase):
    def test_round_trip_of_every_dtype(self):
        a = np.linspace(-3, 3, 24, dtype=np.float32).reshape(2, 3, 4)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.safetensors")
            dit.write_safetensors(path, {"f32": a, "f16": a, "bf16": a, "i64": np.arange(5),
                                         "f64": a.astype(np.float64)}, {"k": "v"},
                                  dtypes={"f16": "F16", "bf16": "BF16", "f64": "F64"})
            t, meta = dit.read_safetensors(path)
        self.assertEqual(meta, {"k": "v"})
        np.testing.assert_array_equal(t["f32"], a)
        np.testing.assert_array_equal(t["i64"], np.arange(5))
        np.testing.assert_allclose(t["f16"], a, atol=2e-3)
        np.testing.assert_allclose(t["bf16"], a, atol=2e-2)
        np.testing.assert_array_equal(t["f64"], a)


if __name__ == "__main__":
    unittest.main()
