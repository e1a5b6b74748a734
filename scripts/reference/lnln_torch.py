#!/usr/bin/python3
"""LNLN (Zhang et al., NeurIPS 2024) in PyTorch, following the structure of its public code
(github.com/Haoyu-ha/LNLN: models/basic_layers.py, models/lnln.py, core/losses.py), so the
engine's port (src-main/engine/model/baselines/lnln/) can be checked against it on the same
weights. Written for this check, not copied; the one change is the text encoder: the engine
works on frozen BERT features, so BERT is the identity here (docs/baselines.md, "LNLN").

RESEARCH REFERENCE ONLY: the product never imports or runs this.
Needs PyTorch 1.13 + numpy (Debian: /usr/bin/python3).

Reads one JSON request on stdin, prints one JSON answer:
  {"config": LnlnConfig, "weights": {name: {"shape": [..], "data": [..]}},
   "batches": [{"corrupted": {"l": [..], "a": [..], "v": [..]}, "complete": {...},
                "size": B, "labels": [..], "completeness": [..], "grads": bool}]}
   "train": {"lr": LR, "weightDecay": WD, "steps": N, "batch": I}   (optional)}
  -> {"answers": [{"pred": [..], "w": [..], "terms": {task, cc, adv, rec, total, sel},
                   "grads": {name: [..]} (when asked: d total / d weight, under the engine's names and layout)}],
      "trained": [[..predictions per batch..]] after N AdamW steps (train.py's loop) on batch I}
Computes in float64; inputs are the engine's padded [B, seqLen_m, d_m] arrays, flattened.
"""
import json
import sys

sys.dont_write_bytecode = True  # no __pycache__ inside the repository

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

MODS = ('l', 'a', 'v')


class ReverseGrad(torch.autograd.Function):
    """Identity forward; the gradient times -alpha (the public GradientReversalFn)."""

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return g.neg() * ctx.alpha, None


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(0.0), nn.Linear(hidden, dim), nn.Dropout(0.0))

    def forward(self, x):
        return self.net(x)


class Attention(nn.Module):
    """q, k, v without bias, heads x dim_head wide, then an output Linear (project_out)."""

    def __init__(self, dim, heads, dim_head):
        super().__init__()
        inner = heads * dim_head
        self.heads, self.scale = heads, dim_head ** -0.5
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_k = nn.Linear(dim, inner, bias=False)
        self.to_v = nn.Linear(dim, inner, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner, dim), nn.Dropout(0.0))

    def forward(self, q, k, v):
        b, h = q.shape[0], self.heads
        split = lambda t: t.reshape(b, t.shape[1], h, -1).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.to_q(q)), split(self.to_k(k)), split(self.to_v(v))
        attn = torch.softmax(q @ k.transpose(-1, -2) * self.scale, dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, q.shape[2], -1)
        return self.to_out(out)


class NormQKV(nn.Module):
    """Three LayerNorms, one per attention input (PreNorm_qkv)."""

    def __init__(self, dim, fn):
        super().__init__()
        self.norm_q, self.norm_k, self.norm_v, self.fn = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim), fn

    def forward(self, q, k, v):
        return self.fn(self.norm_q(q), self.norm_k(k), self.norm_v(v))


class Norm(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm, self.fn = nn.LayerNorm(dim), fn

    def forward(self, x):
        return self.fn(self.norm(x))


def encoder_layers(c):
    return nn.ModuleList([
        nn.ModuleList([NormQKV(c['d'], Attention(c['d'], c['heads'], c['dimHead'])), Norm(c['d'], FeedForward(c['d'], c['mlpDim']))])
        for _ in range(c['depth'])
    ])


class Transformer(nn.Module):
    """Extra tokens (zeros) in front, positional embedding, pre-norm layers; optionally every hidden state."""

    def __init__(self, c, num_frames, token_len, save_hidden=False):
        super().__init__()
        self.token_len, self.save_hidden = token_len, save_hidden
        n = num_frames + (token_len or 0)
        self.pos_embedding = nn.Parameter(torch.randn(1, n, c['d']))
        self.extra_token = nn.Parameter(torch.zeros(1, token_len, c['d'])) if token_len else None
        self.layers = encoder_layers(c)

    def forward(self, x):
        b, n, _ = x.shape
        if self.token_len:
            x = torch.cat((self.extra_token.expand(b, -1, -1), x), dim=1)
            x = x + self.pos_embedding[:, :n + self.token_len]
        else:
            x = x + self.pos_embedding[:, :n]
        hidden = [x]
        for attn, ff in self.layers:
            x = attn(x, x, x) + x
            x = ff(x) + x
            hidden.append(x)
        return hidden if self.save_hidden else x


class CrossTransformer(nn.Module):
    """One shared extra token in front of source and target; queries from the target."""

    def __init__(self, c, src_len, tgt_len):
        super().__init__()
        self.pos_embedding_s = nn.Parameter(torch.randn(1, src_len + 1, c['d']))
        self.pos_embedding_t = nn.Parameter(torch.randn(1, tgt_len + 1, c['d']))
        self.extra_token = nn.Parameter(torch.zeros(1, 1, c['d']))
        self.layers = encoder_layers(c)

    def forward(self, source, target):
        b = source.shape[0]
        extra = self.extra_token.expand(b, -1, -1)
        source = torch.cat((extra, source), dim=1) + self.pos_embedding_s[:, :source.shape[1] + 1]
        target = torch.cat((extra, target), dim=1) + self.pos_embedding_t[:, :target.shape[1] + 1]
        for attn, ff in self.layers:
            target = attn(target, source, source) + target
            target = ff(target) + target
        return target


class HyperLayer(nn.Module):
    """PreNorm_hyper + HhyperLearningLayer: the shift lands on the normalised hyper feature (in place)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.norm1, self.norm2, self.norm3, self.norm4 = (nn.LayerNorm(dim) for _ in range(4))
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        for name in ('to_q', 'to_k_ta', 'to_k_tv', 'to_v_ta', 'to_v_tv'):
            setattr(self, name, nn.Linear(dim, dim, bias=False))
        self.to_out = nn.Sequential(nn.Linear(dim, dim), nn.Dropout(0.0))

    def attend(self, q, k, v):
        b, h = q.shape[0], self.heads
        split = lambda t: t.reshape(b, t.shape[1], h, -1).transpose(1, 2)  # noqa: E731
        attn = torch.softmax(split(q) @ split(k).transpose(-1, -2) * self.scale, dim=-1)
        return (attn @ split(v)).transpose(1, 2).reshape(b, q.shape[1], -1)

    def forward(self, h_dom, h_a, h_v, h_hyper):
        h_dom, h_a, h_v, h_hyper = self.norm1(h_dom), self.norm2(h_a), self.norm3(h_v), self.norm4(h_hyper)
        q = self.to_q(h_dom)
        shift = self.to_out(self.attend(q, self.to_k_ta(h_a), self.to_v_ta(h_a)) + self.attend(q, self.to_k_tv(h_v), self.to_v_tv(h_v)))
        h_hyper += shift
        return h_hyper


class Lnln(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        tok, d = c['tokenLen'], c['d']
        self.h_hyper = nn.Parameter(torch.ones(1, tok, d))
        self.h_p = nn.Parameter(torch.ones(1, tok, d))
        for m in MODS:
            setattr(self, f'proj_{m}', nn.Sequential(nn.Linear(c['inputDims'][m], d), Transformer(c, c['seqLen'][m], tok)))
        self.proxy = Transformer(c, 3 * tok, tok)
        self.discriminator = nn.Sequential(nn.Linear(d, c['discHidden']), nn.LeakyReLU(0.1), nn.Linear(c['discHidden'], 2))
        self.completeness_check = nn.ModuleList([
            Transformer(c, tok, 1),
            nn.Sequential(nn.Linear(d, d // 2), nn.LeakyReLU(0.1), nn.Linear(d // 2, 1), nn.Sigmoid()),
        ])
        self.reconstructor = nn.ModuleList([Transformer(c, tok, None) for _ in range(3)])  # a, v, l
        self.language = Transformer(c, tok, None, save_hidden=True)
        self.hyper = nn.ModuleList([HyperLayer(d, c['heads']) for _ in range(c['hyperDepth'])])
        self.fusion = CrossTransformer(c, tok, tok)
        self.regression = nn.Linear(d, 1)

    def forward(self, complete, incomplete):
        tok = self.c['tokenLen']
        b = incomplete['l'].shape[0]
        h1 = {m: getattr(self, f'proj_{m}')(incomplete[m])[:, :tok] for m in MODS}  # BERT: identity
        feat = self.completeness_check[0](h1['l'])[:, :1].squeeze()
        w = self.completeness_check[1](feat)
        h_p = self.proxy(torch.cat([self.h_p.expand(b, -1, -1), h1['a'], h1['v']], dim=1))[:, :tok]
        h_p = ReverseGrad.apply(h_p, self.c['grl'])
        h_d = h_p * (1 - w.unsqueeze(-1)) + h1['l'] * w.unsqueeze(-1)
        hidden = self.language(h_d)
        h_hyper = self.h_hyper.expand(b, -1, -1)
        for i, layer in enumerate(self.hyper):
            h_hyper = layer(hidden[i], h1['a'], h1['v'], h_hyper)
        fused = self.fusion(h_hyper, hidden[-1])
        out = {'pred': self.regression(fused[:, 1:].mean(dim=1)), 'w': w}
        if complete is None:
            return out
        rec = torch.cat([self.reconstructor[i](h1[m]) for i, m in enumerate('avl')], dim=1)
        full = {m: getattr(self, f'proj_{m}')(complete[m])[:, :tok] for m in MODS}
        disc = self.discriminator(torch.cat([h_d, full['l']]).reshape(-1, self.c['d']))
        return {**out, 'disc': disc, 'rec': rec, 'complete': torch.cat([full['a'], full['v'], full['l']], dim=1)}


def losses(c, out, labels, completeness):
    """MultimodalLoss: alpha l_cc + beta l_adv + gamma l_rec + sigma l_sp; sel = what evaluate() computes."""
    l_cc = F.mse_loss(out['w'], completeness)
    l_sp = F.mse_loss(out['pred'], labels)
    n = out['disc'].shape[0] // 2
    eff = torch.cat([torch.ones(n), torch.zeros(n)]).long()
    l_adv = F.cross_entropy(out['disc'], eff)
    l_rec = F.mse_loss(out['rec'], out['complete'])
    total = c['alpha'] * l_cc + c['beta'] * l_adv + c['gamma'] * l_rec + c['sigma'] * l_sp
    return {'task': l_sp, 'cc': l_cc, 'adv': l_adv, 'rec': l_rec, 'total': total, 'sel': c['sigma'] * l_sp + c['alpha'] * l_cc}


def encoder_map(prefix, layers):
    """Engine name -> (parameter, transpose?) for a stack of encoder layers."""
    out = {}
    for i, (attn, ff) in enumerate(layers):
        p = f'{prefix}.layer{i}'
        for n in ('q', 'k', 'v'):
            norm = getattr(attn, f'norm_{n}')
            out[f'{p}.ln_{n}.gamma'], out[f'{p}.ln_{n}.beta'] = (norm.weight, False), (norm.bias, False)
            out[f'{p}.w{n}'] = (getattr(attn.fn, f'to_{n}').weight, True)
        out[f'{p}.out.kernel'], out[f'{p}.out.bias'] = (attn.fn.to_out[0].weight, True), (attn.fn.to_out[0].bias, False)
        out[f'{p}.ln2.gamma'], out[f'{p}.ln2.beta'] = (ff.norm.weight, False), (ff.norm.bias, False)
        for k, idx in (('ff1', 0), ('ff2', 3)):
            out[f'{p}.{k}.kernel'], out[f'{p}.{k}.bias'] = (ff.fn.net[idx].weight, True), (ff.fn.net[idx].bias, False)
    return out


def linear_map(name, lin):
    return {f'{name}.kernel': (lin.weight, True), f'{name}.bias': (lin.bias, False)}


def transformer_map(name, t):
    out = {f'{name}.pos': (t.pos_embedding, False), **encoder_map(name, t.layers)}
    if t.extra_token is not None:
        out[f'{name}.extra'] = (t.extra_token, False)
    return out


def name_map(model):
    """Every engine parameter name -> (torch parameter, stored transposed?)."""
    out = {'h_p': (model.h_p, False), 'h_hyper': (model.h_hyper, False)}
    for m in MODS:
        proj = getattr(model, f'proj_{m}')
        out.update(linear_map(f'proj.{m}.in', proj[0]), **transformer_map(f'proj.{m}.enc', proj[1]))
    out.update(transformer_map('proxy', model.proxy), **transformer_map('completeness.enc', model.completeness_check[0]))
    head = model.completeness_check[1]
    out.update(linear_map('completeness.head.l1', head[0]), **linear_map('completeness.head.l2', head[2]))
    out.update(linear_map('discriminator.l1', model.discriminator[0]), **linear_map('discriminator.l2', model.discriminator[2]))
    for i, m in enumerate('avl'):
        out.update(transformer_map(f'reconstructor.{m}', model.reconstructor[i]))
    out.update(transformer_map('dmml.language', model.language), **linear_map('dmml.regression', model.regression))
    for i, layer in enumerate(model.hyper):
        p = f'dmml.hyper.layer{i}'
        for k in range(1, 5):
            norm = getattr(layer, f'norm{k}')
            out[f'{p}.norm{k}.gamma'], out[f'{p}.norm{k}.beta'] = (norm.weight, False), (norm.bias, False)
        for ours, theirs in (('q', 'to_q'), ('k_a', 'to_k_ta'), ('k_v', 'to_k_tv'), ('v_a', 'to_v_ta'), ('v_v', 'to_v_tv')):
            out[f'{p}.w{ours}'] = (getattr(layer, theirs).weight, True)
        out.update(linear_map(f'{p}.out', layer.to_out[0]))
    f = model.fusion
    out.update({'dmml.fusion.pos_s': (f.pos_embedding_s, False), 'dmml.fusion.pos_t': (f.pos_embedding_t, False), 'dmml.fusion.extra': (f.extra_token, False)})
    out.update(encoder_map('dmml.fusion', f.layers))
    return out


def load(model, weights):
    names = name_map(model)
    missing = set(names) ^ set(weights)
    if missing:
        raise SystemExit(f'weights and model disagree on: {sorted(missing)[:5]}')
    with torch.no_grad():
        for name, (param, transposed) in names.items():
            w = weights[name]
            t = torch.tensor(np.array(w['data'], dtype=np.float32).reshape(w['shape']), dtype=torch.float64)
            param.copy_(t.t() if transposed else t)
    return names


def run_batch(model, names, c, batch):
    b = batch['size']
    shaped = lambda arrays: {m: torch.tensor(arrays[m], dtype=torch.float64).reshape(b, c['seqLen'][m], c['inputDims'][m]) for m in MODS}  # noqa: E731
    model.zero_grad()
    out = model(shaped(batch['complete']), shaped(batch['corrupted']))
    labels = torch.tensor(batch['labels'], dtype=torch.float64).reshape(b, 1)
    completeness = torch.tensor(batch['completeness'], dtype=torch.float64).reshape(b, 1)
    terms = losses(c, out, labels, completeness)
    answer = {'pred': out['pred'].reshape(-1).tolist(), 'w': out['w'].reshape(-1).tolist(), 'terms': {k: float(v) for k, v in terms.items()}}
    if batch.get('grads'):
        terms['total'].backward()
        answer['grads'] = {n: (p.grad.t() if tr else p.grad).reshape(-1).tolist() for n, (p, tr) in names.items()}
    return answer


def replay(model, c, batches, train):
    """train.py's loop on one batch: forward on both branches, the weighted loss, AdamW over every parameter."""
    opt = torch.optim.AdamW(model.parameters(), lr=train['lr'], weight_decay=train['weightDecay'])
    batch = batches[train['batch']]
    b = batch['size']
    shaped = lambda bt, arrays: {m: torch.tensor(arrays[m], dtype=torch.float64).reshape(bt['size'], c['seqLen'][m], c['inputDims'][m]) for m in MODS}  # noqa: E731
    labels = torch.tensor(batch['labels'], dtype=torch.float64).reshape(b, 1)
    completeness = torch.tensor(batch['completeness'], dtype=torch.float64).reshape(b, 1)
    for _ in range(train['steps']):
        out = model(shaped(batch, batch['complete']), shaped(batch, batch['corrupted']))
        losses(c, out, labels, completeness)['total'].backward()
        opt.step()
        opt.zero_grad()
    with torch.no_grad():
        return [model(None, shaped(bt, bt['corrupted']))['pred'].reshape(-1).tolist() for bt in batches]


def main():
    request = json.load(sys.stdin)
    c = request['config']
    torch.manual_seed(0)
    model = Lnln(c).double()
    names = load(model, request['weights'])
    answer = {'answers': [run_batch(model, names, c, b) for b in request['batches']]}
    if request.get('train'):
        model.zero_grad()
        answer['trained'] = replay(model, c, request['batches'], request['train'])
    json.dump(answer, sys.stdout)


if __name__ == '__main__':
    main()
