#!/usr/bin/python3
"""Answers the engine's cross-checks of the reference (reference.test.ts); numpy only, no torch.

Reads one JSON request on stdin and prints one JSON answer:
  {"uniforms": {"seed": S, "streams": [..], "count": N}}  -> the N uniforms of that stream
  {"metrics": {"pred": [..], "label": [..]}}              -> the eight metrics
  {"masks": {"data": P.pkl, "split": "test"}}             -> per rate 0.0..0.9 and modality, masked positions per clip
  {"gradcheck": {}}     (needs torch)                     -> worst relative error of autograd vs central differences
  {"forward": {"data": P.pkl, "split": "test", "rate": R, "seed": S, "d": D, "t": T, "heads": H}}  (needs torch)
      -> a freshly initialised reference model's weights under the engine's names ({name: {shape, data}}),
         and, in eval mode on the normalised split with its evaluation masks at rate R (one batch),
         its y_hat and every loss term (the terms of main_losses, and CLUB's own loss as "club")
Research reference only (see dar_torch.py).
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ inside the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ref_data import EVAL_RATES, MODS, eval_masks, eval_uniforms, read_pickle, uniforms  # noqa: E402
from ref_metrics import metrics  # noqa: E402


def gradcheck(samples=60):
    """L_total's gradient on a tiny float64 model against central differences (catches broken kernels)."""
    import numpy as np
    import torch
    from ref_losses import main_losses
    from ref_model import Dar
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float64)
    dims, lens, b = {'l': 6, 'a': 3, 'v': 4}, {'l': 7, 'a': 9, 'v': 11}, 4
    model = Dar(dims, d=8, t=4, heads=2, dropout=0.0)
    x = {m: torch.randn(b, lens[m], dims[m]) for m in MODS}
    lengths = {m: np.array([lens[m], lens[m] - 2, 3, 5]) for m in MODS}
    xc = {m: x[m] * (torch.rand(b, lens[m], 1) > 0.3) for m in MODS}
    y = torch.randn(b)
    cfg = {'ablations': set(), 'tau': 0.1, 'lambda': 0.7, 'alpha': 0.1, 'beta': 0.1}

    def loss():
        out = model(xc, lengths, x)
        terms = main_losses(model, out, y, {m: model.club[m](out['ts'][m]) for m in MODS}, cfg)
        return terms['total'] - cfg['alpha'] * terms['re']  # L_re's stop-gradient is invisible to differences
    model.zero_grad()
    loss().backward()
    params = list(model.parameters())
    names = {id(q): n for n, q in model.named_parameters()}
    rng, worst = np.random.default_rng(0), 0.0
    with torch.no_grad():
        for _ in range(samples):
            p = params[rng.integers(len(params))]
            i = int(rng.integers(p.numel()))
            old = p.view(-1)[i].item()
            p.view(-1)[i] = old + 1e-6
            up = loss().item()
            p.view(-1)[i] = old - 1e-6
            down = loss().item()
            p.view(-1)[i] = old
            num, ana = (up - down) / 2e-6, p.grad.view(-1)[i].item()
            err = abs(num - ana) / max(1e-4, abs(num) + abs(ana))
            if err > 1e-3 and os.environ.get('DEBUG'):
                print(names[id(p)], i, num, ana, file=sys.stderr)
            worst = max(worst, err)
    torch.set_default_dtype(torch.float32)
    return worst


def forward(r):
    """What the engine must reproduce from the same weights: predictions and loss terms."""
    import numpy as np
    import torch
    from ref_data import normalise
    from ref_export import engine_weights
    from ref_losses import club_nll, main_losses
    from ref_model import Dar
    from ref_train import to_batch
    splits, _ = read_pickle(r['data'])
    normalise(splits)
    split = splits[r['split']]
    torch.manual_seed(r['seed'])
    model = Dar({m: split.feats[m].shape[2] for m in MODS}, d=r['d'], t=r['t'], heads=r['heads']).eval()
    masks = eval_masks(split, eval_uniforms(split), {m: r['rate'] for m in MODS})
    corrupt, complete, lengths = to_batch(split, np.arange(split.n), masks)
    cfg = {'ablations': set(), 'tau': 0.1, 'lambda': 0.7, 'alpha': 0.1, 'beta': 0.1}
    with torch.no_grad():
        out = model(corrupt, lengths, complete)
        club_out = {m: model.club[m](out['ts'][m]) for m in MODS}
        terms = {k: float(v) for k, v in main_losses(model, out, torch.from_numpy(split.labels), club_out, cfg).items()}
        terms['club'] = float(torch.stack([club_nll(*club_out[m], out['tc'][m]) for m in MODS]).mean())
    weights = {k: {'shape': list(v.shape), 'data': v.reshape(-1).tolist()} for k, v in engine_weights(model.state_dict()).items()}
    return {'weights': weights, 'y_hat': out['y_hat'].tolist(), 'terms': terms}


def answer(req):
    if 'gradcheck' in req:
        return gradcheck()
    if 'forward' in req:
        return forward(req['forward'])
    if 'uniforms' in req:
        r = req['uniforms']
        return uniforms(r['seed'], r['streams'], r['count']).tolist()
    if 'metrics' in req:
        return metrics(req['metrics']['pred'], req['metrics']['label'])
    r = req['masks']
    split = read_pickle(r['data'])[0][r['split']]
    u = eval_uniforms(split)
    return [{m: eval_masks(split, u, {x: rate for x in MODS})[m].sum(axis=1).tolist() for m in MODS} for rate in EVAL_RATES]


if __name__ == '__main__':
    print(json.dumps(answer(json.load(sys.stdin))))
