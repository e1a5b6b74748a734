"""The DAR network in PyTorch, module by module as docs/dar-model.md rev 2 ("Architecture") fixes it.

Research reference only (see dar_torch.py). Names follow the spec's dotted module names.
Both branches (corrupted and complete) share weights, so they run as one batch of 2B.
"""
import math

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

MODS = ('l', 'a', 'v')
EPS = 1e-5


class _Gelu(torch.autograd.Function):
    """Exact (erf) GELU whose backward gets a contiguous gradient: Debian's torch 1.13.1 build
    returns a wrong gradient from gelu_backward when the incoming gradient is non-contiguous
    (e.g. after a transpose), which silently broke the alignment convolution's gradient."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return F.gelu(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return torch.ops.aten.gelu_backward(grad.contiguous(), x)


def gelu(x):
    """GELU (erf form), safe against the torch build's gelu_backward bug (see _Gelu)."""
    return _Gelu.apply(x)


def others(m):
    """The other two modalities, in the order l, a, v."""
    return [o for o in MODS if o != m]


class Mlp(nn.Module):
    """Linear -> GELU (erf) -> Linear, no dropout."""

    def __init__(self, d_in, d_hidden, d_out):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d_in, d_hidden), nn.Linear(d_hidden, d_out)

    def forward(self, x):
        return self.fc2(gelu(self.fc1(x)))


class Attention(nn.Module):
    """Multi-head attention, scores scaled by 1/sqrt(d/heads)."""

    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.query, self.key, self.value, self.out = (nn.Linear(d, d) for _ in range(4))

    def forward(self, q_in, kv_in):
        b, tq, d = q_in.shape
        tk = kv_in.shape[1]
        hd = d // self.h
        q = self.query(q_in).view(b, tq, self.h, hd).transpose(1, 2)
        k = self.key(kv_in).view(b, tk, self.h, hd).transpose(1, 2)
        v = self.value(kv_in).view(b, tk, self.h, hd).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd), dim=-1)
        return self.out((att @ v).transpose(1, 2).reshape(b, tq, d))


class Block(nn.Module):
    """Pre-LN encoder layer; with `kv` it is a cross-modal block (queries x, keys/values kv, one LN for both)."""

    def __init__(self, d, heads, dropout):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d, eps=EPS), nn.LayerNorm(d, eps=EPS)
        self.attn = Attention(d, heads)
        self.ffn = Mlp(d, 2 * d, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, kv=None):
        h = self.ln1(x)
        x = x + self.drop(self.attn(h, h if kv is None else self.ln1(kv)))
        return x + self.drop(self.ffn(self.ln2(x)))


def pool_matrix(lengths, t, frames):
    """[B, t, frames] weights averaging valid frame i of length L into bin floor(i*t/L); an empty bin copies frame floor(k*L/t)."""
    b = len(lengths)
    p = np.zeros((b, t, frames), np.float32)
    for r, length in enumerate(lengths):
        length = int(length)
        if length > 0:
            i = np.arange(length)
            p[r, (i * t) // length, i] = 1.0
        counts = p[r].sum(axis=1)
        for k in np.nonzero(counts == 0)[0]:
            p[r, k, (k * length) // t] = 1.0
        p[r] /= p[r].sum(axis=1, keepdims=True)
    return torch.from_numpy(p)


class Align(nn.Module):
    """Conv1D k3 same -> GELU -> relative-time average pooling into t bins -> LayerNorm -> + pos."""

    def __init__(self, d_in, d, t):
        super().__init__()
        self.conv = nn.Conv1d(d_in, d, 3, padding=1)
        self.norm = nn.LayerNorm(d, eps=EPS)
        self.pos = nn.Parameter(torch.randn(t, d) * 0.02)

    def forward(self, x, pool):
        h = gelu(self.conv(x.transpose(1, 2))).transpose(1, 2)
        return self.norm(pool.to(h.dtype) @ h) + self.pos


class Club(nn.Module):
    """q(Hcom | Hspec): BiLSTM (d/2 each way) then per-step mu and tanh-bounded logvar."""

    def __init__(self, d):
        super().__init__()
        self.lstm = nn.LSTM(d, d // 2, batch_first=True, bidirectional=True)
        self.mu, self.logvar = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.mu(h), torch.tanh(self.logvar(h))


def per_mod(make):
    return nn.ModuleDict({m: make(m) for m in MODS})


class Dar(nn.Module):
    """The main network (everything but the CLUB estimators, which live in `Dar.club`)."""

    def __init__(self, dims, d=128, t=16, heads=4, dropout=0.1):
        super().__init__()
        self.t = t
        self.align = per_mod(lambda m: Align(dims[m], d, t))
        self.enc_com = per_mod(lambda m: Block(d, heads, dropout))
        self.enc_spec = per_mod(lambda m: Block(d, heads, dropout))
        self.dec_re = per_mod(lambda m: Mlp(3 * d, d, d))
        self.rec_com_in = per_mod(lambda m: nn.Linear(3 * d, d))
        self.rec_com = per_mod(lambda m: Block(d, heads, dropout))
        self.rec_spec = per_mod(lambda m: Block(d, heads, dropout))
        self.dec_rec = per_mod(lambda m: Mlp(2 * d, d, d))
        self.gate_com = per_mod(lambda m: nn.Linear(2 * d, d))
        self.gate_spec = per_mod(lambda m: nn.Linear(2 * d, d))
        self.fuse_com = nn.ModuleList([Block(d, heads, dropout) for _ in range(2)])
        self.fuse_spec = nn.ModuleDict({f'{s}_{t_}': Block(d, heads, dropout) for t_ in MODS for s in others(t_)})
        self.head = Mlp(9 * d, d, 1)
        self.boot = Mlp(3 * d, d, 1)
        self.club = per_mod(lambda m: Club(d))

    def main_parameters(self):
        return [p for n, p in self.named_parameters() if not n.startswith('club.')]

    def forward(self, corrupt, lengths, complete=None):
        """corrupt/complete: {m: [B, T_m, d_m]}; returns the features and predictions as a dict."""
        out = {'u1c': {}, 'u1': {}, 'tc': {}, 'ts': {}, 'hc': {}, 'hs': {}}
        for m in MODS:
            pool = pool_matrix(lengths[m], self.t, corrupt[m].shape[1])
            x = corrupt[m] if complete is None else torch.cat([corrupt[m], complete[m]])
            u = self.align[m](x, pool if complete is None else torch.cat([pool, pool]))
            hc, hs = self.enc_com[m](u), self.enc_spec[m](u)
            b = corrupt[m].shape[0]
            out['u1c'][m], out['tc'][m], out['ts'][m] = u[:b], hc[:b], hs[:b]
            if complete is not None:
                out['u1'][m], out['hc'][m], out['hs'][m] = u[b:], hc[b:], hs[b:]
        self._reconstruct(out)
        self._fuse(out)
        if complete is not None:
            out['y_boot'] = self.boot(torch.cat([out['hc'][m].mean(1) for m in MODS], -1)).squeeze(-1)
        return out

    def _reconstruct(self, out):
        tc, ts = out['tc'], out['ts']
        cat_com = torch.cat([tc[m] for m in MODS], -1)
        for key in ('ure', 'hh_com', 'hh_spec', 'uhat', 'f_com', 'f_spec', 'g_com', 'g_spec'):
            out[key] = {}
        for m in MODS:
            o1, o2 = others(m)
            out['ure'][m] = self.dec_re[m](torch.cat([tc[o1], tc[o2], ts[m]], -1))
            hh_c = self.rec_com[m](self.rec_com_in[m](cat_com))
            hh_s = self.rec_spec[m](ts[m])
            out['hh_com'][m], out['hh_spec'][m] = hh_c, hh_s
            out['uhat'][m] = self.dec_rec[m](torch.cat([hh_c, hh_s], -1))
            g_c = torch.sigmoid(self.gate_com[m](torch.cat([hh_c, tc[m]], -1)))
            g_s = torch.sigmoid(self.gate_spec[m](torch.cat([hh_s, ts[m]], -1)))
            out['g_com'][m], out['g_spec'][m] = g_c, g_s
            out['f_com'][m] = g_c * hh_c + (1 - g_c) * tc[m]
            out['f_spec'][m] = g_s * hh_s + (1 - g_s) * ts[m]

    def _fuse(self, out):
        h = torch.cat([out['f_com'][m] for m in MODS])  # shared weights: one batch of 3B
        for blk in self.fuse_com:
            h = blk(h)
        h_com = torch.cat(h[:, -1].chunk(3), -1)
        h_spec = []
        for dst in MODS:
            for src in others(dst):
                h_spec.append(self.fuse_spec[f'{src}_{dst}'](out['f_spec'][dst], out['f_spec'][src])[:, -1])
        out['y_hat'] = self.head(torch.cat([h_com] + h_spec, -1)).squeeze(-1)
