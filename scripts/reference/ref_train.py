"""Training protocol, model selection and the robustness report (docs/dar-model.md rev 2).

Research reference only (see dar_torch.py).
"""
import copy
import math
import sys
import time

import numpy as np
import torch

from ref_data import EVAL_RATES, MODS, VALID_RATE, eval_masks, eval_uniforms, train_masks
from ref_losses import club_nll, main_losses
from ref_metrics import metrics
from ref_model import Dar


def to_batch(split, idx, masks=None):
    """Tensors of a batch trimmed to its longest clip (exact: padding is 0 and the conv pads with 0)."""
    lengths = {m: split.lengths[m][idx] for m in MODS}
    complete, corrupt = {}, {}
    for m in MODS:
        t = max(1, int(lengths[m].max()))
        x = split.feats[m][idx, :t]
        complete[m] = torch.from_numpy(np.ascontiguousarray(x))
        keep = 1.0 if masks is None else (~masks[m][idx, :t])[..., None].astype(np.float32)
        corrupt[m] = torch.from_numpy(np.ascontiguousarray(x * keep))
    return corrupt, complete, lengths


def lr_at(epoch, cfg):
    """Per-epoch schedule: linear warm-up over W = max(1, round(0.1 E)) epochs, then cosine to 0."""
    e_total = cfg['epochs']
    w = max(1, int(math.floor(0.1 * e_total + 0.5)))
    if epoch < w:
        return cfg['lr'] * (epoch + 1) / w
    return cfg['lr'] * 0.5 * (1 + math.cos(math.pi * (epoch - w) / max(1, e_total - w)))


class Trainer:
    """One CLUB step then one main step per batch; AdamW semantics; clipping at 2."""

    def __init__(self, model, cfg):
        self.model, self.cfg = model, cfg
        self.main_params = model.main_parameters()
        self.opt = torch.optim.Adam(self.main_params, lr=cfg['lr'])
        self.club_opt = torch.optim.Adam(model.club.parameters(), lr=cfg['club_lr'])
        self.use_club = not ({'no_diff', 'no_sim_diff'} & cfg['ablations'])

    def step(self, corrupt, complete, lengths, y, lr):
        """One training step on a batch; returns the loss terms as floats."""
        out = self.model(corrupt, lengths, complete)
        club_in = {m: (out['ts'][m], out['tc'][m]) for m in MODS}
        if self.use_club:
            self.club_opt.zero_grad()
            nll = torch.stack([club_nll(*self.model.club[m](x.detach()), yy.detach()) for m, (x, yy) in club_in.items()]).mean()
            nll.backward()
            self.club_opt.step()
        for p in self.model.club.parameters():
            p.requires_grad_(False)
        club_out = {m: self.model.club[m](x) for m, (x, _) in club_in.items()}
        losses = main_losses(self.model, out, y, club_out, self.cfg)
        self.opt.zero_grad()
        losses['total'].backward()
        torch.nn.utils.clip_grad_norm_(self.main_params, self.cfg['clip'])
        for g in self.opt.param_groups:
            g['lr'] = lr
        self.opt.step()
        with torch.no_grad():
            for p in self.main_params:
                p.sub_(lr * self.cfg['wd'] * p)
        for p in self.model.club.parameters():
            p.requires_grad_(True)
        return {k: float(v) for k, v in losses.items()}


@torch.no_grad()
def selection_loss(model, valid, masks, cfg):
    """L_sel on the validation split corrupted once at 0.5, eval mode, batch-size-weighted mean."""
    model.eval()
    total, n = 0.0, 0
    for s in range(0, valid.n, cfg['batch']):
        idx = np.arange(s, min(valid.n, s + cfg['batch']))
        corrupt, complete, lengths = to_batch(valid, idx, masks)
        out = model(corrupt, lengths, complete)
        club_out = {m: model.club[m](out['ts'][m]) for m in MODS}
        total += main_losses(model, out, torch.from_numpy(valid.labels[idx]), club_out, cfg)['sel'].item() * len(idx)
        n += len(idx)
    model.train()
    return total / n


def train(splits, cfg, log=sys.stderr):
    """Trains with selection on validation L_sel and early stopping; returns (best model, summary)."""
    torch.manual_seed(cfg['seed'])
    rng = np.random.default_rng(cfg['seed'])
    dims = {m: splits['train'].feats[m].shape[2] for m in MODS}
    model = Dar(dims, d=cfg['d'], t=cfg['t'], heads=cfg['heads'], dropout=cfg['dropout'])
    trainer = Trainer(model, cfg)
    tr, va = splits['train'], splits['valid']
    valid_masks = eval_masks(va, eval_uniforms(va), {m: VALID_RATE for m in MODS})
    best, best_state, best_epoch, history, t0 = math.inf, None, -1, [], time.time()
    for epoch in range(cfg['epochs']):
        lr = lr_at(epoch, cfg)
        masks = train_masks(tr, cfg['k'], rng)
        order = rng.permutation(tr.n)
        terms = []
        for s in range(0, tr.n, cfg['batch']):
            idx = order[s:s + cfg['batch']]
            corrupt, complete, lengths = to_batch(tr, idx, masks)
            terms.append(trainer.step(corrupt, complete, lengths, torch.from_numpy(tr.labels[idx]), lr))
        sel = selection_loss(model, va, valid_masks, cfg)
        mean = {k: float(np.mean([t[k] for t in terms])) for k in terms[0]}
        history.append({'epoch': epoch, 'lr': lr, 'train': mean, 'L_sel': sel})
        print(f'epoch {epoch + 1}/{cfg["epochs"]} lr {lr:.2e} total {mean["total"]:.4f} task {mean["task"]:.4f} '
              f'sim {mean["sim"]:.4f} diff {mean["diff"]:.4f} re {mean["re"]:.4f} recon {mean["recon"]:.4f} '
              f'L_sel {sel:.4f} ({time.time() - t0:.0f} s)', file=log, flush=True)
        if sel < best:
            best, best_state, best_epoch = sel, copy.deepcopy(model.state_dict()), epoch
        elif epoch - best_epoch >= cfg['patience']:
            break
    model.load_state_dict(best_state)
    return model, {'selectedEpoch': best_epoch, 'L_sel': best, 'seconds': time.time() - t0, 'history': history}


@torch.no_grad()
def predict(model, split, masks, batch=128):
    """Predictions of the corrupted branch for every clip under the given masks."""
    model.eval()
    preds = []
    for s in range(0, split.n, batch):
        idx = np.arange(s, min(split.n, s + batch))
        corrupt, _, lengths = to_batch(split, idx, masks)
        preds.append(model(corrupt, lengths)['y_hat'].numpy())
    return np.concatenate(preds)


def _average(runs):
    keys = runs[0].keys()
    out = {}
    for k in keys:
        vals = [r[k] for r in runs if r[k] is not None]
        out[k] = float(np.mean(vals)) if vals else None
    return out


def prediction_stats(p):
    """Where the predictions sit: their mean, population sd and share >= 0 (the drift under masking)."""
    return {'mean': float(np.mean(p)), 'sd': float(np.std(p)), 'positive': float(np.mean(p >= 0))}


def robustness_report(models, split, seeds=(1111,)):
    """`dar eval --json`'s report: metrics at rates 0.0..0.9, their mean, each modality removed,
    and the same cells' prediction statistics (`predictions`), plus every modality masked (`all`)."""
    rates, removed = {f'{r:.1f}': [] for r in EVAL_RATES}, {m: [] for m in MODS}
    p_rates, p_removed = {k: [] for k in rates}, {m: [] for m in MODS}
    p_all = []

    def score(masks, cells, p_cells):
        for mod in models:
            p = predict(mod, split, masks)
            cells.append(metrics(p, split.labels))
            p_cells.append(prediction_stats(p))

    for seed in seeds:
        u = eval_uniforms(split, seed)
        for r in EVAL_RATES:
            score(eval_masks(split, u, {m: r for m in MODS}), rates[f'{r:.1f}'], p_rates[f'{r:.1f}'])
        for gone in MODS:
            score(eval_masks(split, u, {m: 1.0 if m == gone else 0.0 for m in MODS}), removed[gone], p_removed[gone])
        score(eval_masks(split, u, {m: 1.0 for m in MODS}), [], p_all)
    rate_avg = {k: _average(v) for k, v in rates.items()}
    return {'rates': rate_avg, 'mean': _average(list(rate_avg.values())), 'removed': {m: _average(v) for m, v in removed.items()},
            'predictions': {'label': prediction_stats(split.labels), 'rates': {k: _average(v) for k, v in p_rates.items()},
                            'removed': {m: _average(v) for m, v in p_removed.items()}, 'all': _average(p_all)},
            'meta': {'n': split.n, 'split': split.name, 'models': len(models), 'seeds': list(seeds)}}
