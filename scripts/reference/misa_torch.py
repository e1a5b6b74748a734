"""MISA (Hazarika et al., 2020) as thuiar/MMSA runs it, in PyTorch: the engine's fidelity reference.

Research reference only, written from reading MMSA's models/singleTask/MISA.py and
trains/singleTask/MISA.py (not copied): frozen BERT rows stand in for BERT's outputs, the text
vector is their mean over the text's length, audio and video go through two packed BiLSTMs
each, packed by the TEXT lengths (as MMSA does), then the shared/private split, a PyTorch
TransformerEncoderLayer over the six codes, and the MSE + DiffLoss + CMD + reconstruction losses.

Usage: misa_torch.py OUT.json  -- writes weights (engine names), a tiny batch at missing rates
0, 0.5 and 0.9, the eval-mode predictions and every loss term, and the gradients of the total.
"""
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from baseline_common import RATES, linear_out, lstm_out, norm_out, tiny_batch, write

CONFIG = {'hidden': 8, 'dropout': 0.2, 'transformerDropout': 0.1, 'ffDim': 16, 'heads': 2, 'cmdMoments': 5,
          'diffWeight': 0.1, 'simWeight': 0.3, 'reconWeight': 1.0, 'lr': 1e-4, 'weightDecay': 0.0,
          'gradClip': 0.8, 'updateEpochs': 2}
DIMS = {'l': 12, 'a': 3, 'v': 4}
SEQ = {'l': 6, 'a': 9, 'v': 10}
LENGTHS = {'l': [6, 3, 5, 1, 4], 'a': [9, 2, 7, 4, 8], 'v': [10, 6, 3, 2, 9]}


def proj(d_in, h):
    return nn.Sequential(nn.Linear(d_in, h), nn.ReLU(), nn.LayerNorm(h))


class Misa(nn.Module):
    def __init__(self, c, dims):
        super().__init__()
        h = c['hidden']
        self.c = c
        du, dv = dims['a'], dims['v']
        self.vrnn1 = nn.LSTM(dv, dv, bidirectional=True)
        self.vrnn2 = nn.LSTM(2 * dv, dv, bidirectional=True)
        self.arnn1 = nn.LSTM(du, du, bidirectional=True)
        self.arnn2 = nn.LSTM(2 * du, du, bidirectional=True)
        self.vlayer_norm = nn.LayerNorm(2 * dv)
        self.alayer_norm = nn.LayerNorm(2 * du)
        self.project_t, self.project_v, self.project_a = proj(dims['l'], h), proj(4 * dv, h), proj(4 * du, h)
        self.private_t, self.private_v, self.private_a = (nn.Linear(h, h) for _ in range(3))
        self.shared = nn.Linear(h, h)
        self.recon_t, self.recon_v, self.recon_a = (nn.Linear(h, h) for _ in range(3))
        self.transformer = nn.TransformerEncoderLayer(d_model=h, nhead=c['heads'], dim_feedforward=c['ffDim'], dropout=c['transformerDropout'])
        self.fusion_1 = nn.Linear(6 * h, 3 * h)
        self.fusion_drop = nn.Dropout(c['dropout'])
        self.fusion_3 = nn.Linear(3 * h, 1)

    def encode(self, x, lengths, rnn1, rnn2, norm):
        """MMSA's extract_features: final states of both packed layers, laid out [h1 fw, h2 fw, h1 bw, h2 bw]."""
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out1, (h1, _) = rnn1(packed)
        padded, _ = pad_packed_sequence(out1)
        normed = norm(padded.permute(1, 0, 2))
        _, (h2, _) = rnn2(pack_padded_sequence(normed, lengths, batch_first=True, enforce_sorted=False))
        return torch.cat((h1, h2), dim=2).permute(1, 0, 2).contiguous().view(x.size(0), -1)

    def forward(self, text, text_len, audio, video):
        mask = (torch.arange(text.size(1))[None, :] < text_len[:, None]).float()
        utt_t = (text * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
        lengths = text_len.int()
        utt_v = self.encode(video, lengths, self.vrnn1, self.vrnn2, self.vlayer_norm)
        utt_a = self.encode(audio, lengths, self.arnn1, self.arnn2, self.alayer_norm)
        o = {'orig': [self.project_t(utt_t), self.project_v(utt_v), self.project_a(utt_a)]}
        o['priv'] = [torch.sigmoid(p(x)) for p, x in zip((self.private_t, self.private_v, self.private_a), o['orig'])]
        o['shared'] = [torch.sigmoid(self.shared(x)) for x in o['orig']]
        o['recon'] = [r(p + s) for r, p, s in zip((self.recon_t, self.recon_v, self.recon_a), o['priv'], o['shared'])]
        tokens = self.transformer(torch.stack(o['priv'] + o['shared'], dim=0))
        fused = torch.cat([tokens[i] for i in range(6)], dim=1)
        o['pred'] = self.fusion_3(torch.relu(self.fusion_drop(self.fusion_1(fused))))
        return o


def diff_loss(a, b):
    def unit(x):
        x = x - x.mean(0, keepdim=True)
        return x / (torch.norm(x, p=2, dim=1, keepdim=True).detach() + 1e-6)
    return (unit(a).t().mm(unit(b))).pow(2).mean()


def cmd(x1, x2, n):
    m1, m2 = x1.mean(0), x2.mean(0)
    s1, s2 = x1 - m1, x2 - m2
    norm = lambda a, b: ((a - b) ** 2).sum() ** 0.5
    total = norm(m1, m2)
    for k in range(2, n + 1):
        total = total + norm((s1 ** k).mean(0), (s2 ** k).mean(0))
    return total


def mse(pred, real):
    return ((real - pred) ** 2).sum() / real.numel()


def losses(o, labels, c, drop=None):
    """MMSA's loss terms; `drop` names one term to leave out of the total (the sensitivity check)."""
    (pt, pv, pa), (st, sv, sa) = o['priv'], o['shared']
    task = nn.functional.mse_loss(o['pred'], labels.view(-1, 1))
    diff = sum(diff_loss(x, y) for x, y in ((pt, st), (pv, sv), (pa, sa), (pa, pt), (pa, pv), (pt, pv)))
    n = c['cmdMoments']
    sim = (cmd(st, sv, n) + cmd(st, sa, n) + cmd(sa, sv, n)) / 3.0
    recon = sum(mse(r, x) for r, x in zip(o['recon'], o['orig'])) / 3.0
    total = task + c['diffWeight'] * diff + c['simWeight'] * sim + c['reconWeight'] * recon
    return {'task': task, 'diff': diff, 'sim': sim, 'recon': recon, 'total': total, 'sel': task}


def engine_weights(model):
    out = {}
    for m in ('v', 'a'):
        for i in (1, 2):
            lstm_out(out, f'{m}rnn{i}', getattr(model, f'{m}rnn{i}'), directions=('fw', 'bw'))
        norm_out(out, f'{m}layer_norm', getattr(model, f'{m}layer_norm'))
    for m in ('t', 'v', 'a'):
        p = getattr(model, f'project_{m}')
        linear_out(out, f'project_{m}', p[0])
        norm_out(out, f'project_{m}_ln', p[2])
        linear_out(out, f'private_{m}', getattr(model, f'private_{m}'))
        linear_out(out, f'recon_{m}', getattr(model, f'recon_{m}'))
    linear_out(out, 'shared', model.shared)
    tfm, h = model.transformer, model.c['hidden']
    w, b = np.array(tfm.self_attn.in_proj_weight.detach().numpy(), copy=True), np.array(tfm.self_attn.in_proj_bias.detach().numpy(), copy=True)
    for i, k in enumerate('qkv'):
        out[f'fusion_tf.{k}.kernel'] = w[i * h:(i + 1) * h].T
        out[f'fusion_tf.{k}.bias'] = b[i * h:(i + 1) * h]
    linear_out(out, 'fusion_tf.out', tfm.self_attn.out_proj)
    linear_out(out, 'fusion_tf.ff1', tfm.linear1)
    linear_out(out, 'fusion_tf.ff2', tfm.linear2)
    norm_out(out, 'fusion_tf.norm1', tfm.norm1)
    norm_out(out, 'fusion_tf.norm2', tfm.norm2)
    linear_out(out, 'fusion_1', model.fusion_1)
    linear_out(out, 'fusion_3', model.fusion_3)
    return out


def run_case(model, batch, labels):
    t = lambda m: torch.from_numpy(batch[m]['corrupted'])
    o = model(t('l'), torch.from_numpy(batch['l']['lengths']).long(), t('a'), t('v'))
    terms = losses(o, labels, model.c)
    model.zero_grad()
    terms['total'].backward()
    names = engine_weights(model).keys()
    grads = engine_grads(model)
    return {'predictions': o['pred'].detach().numpy().reshape(-1),
            'terms': {k: float(v) for k, v in terms.items()},
            'grads': {n: grads[n] for n in names}}


def engine_grads(model):
    """The gradients under engine names: swap each parameter for its .grad and export again."""
    saved = {n: p.data.clone() for n, p in model.named_parameters()}
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.grad if p.grad is not None else torch.zeros_like(p))
    out = engine_weights(model)
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(saved[n])
    return out


TRAIN_LR = 1e-2


def train_epochs(model, batches, labels, epochs):
    """MMSA's loop with dropout off: zero_grad at a group's first batch, clip after every backward, step per full group."""
    c = model.c
    opt = torch.optim.Adam(model.parameters(), lr=TRAIN_LR)
    terms = []
    for _ in range(epochs):
        left = c['updateEpochs']
        for batch in batches:
            if left == c['updateEpochs']:
                opt.zero_grad()
            left -= 1
            t = lambda m: torch.from_numpy(batch[m]['corrupted'])
            o = model(t('l'), torch.from_numpy(batch['l']['lengths']).long(), t('a'), t('v'))
            loss = losses(o, labels, c)
            loss['total'].backward()
            torch.nn.utils.clip_grad_value_(model.parameters(), c['gradClip'])
            terms.append({k: float(v) for k, v in loss.items()})
            if not left:
                opt.step()
                left = c['updateEpochs']
    return terms


def main(path):
    torch.manual_seed(7)
    model = Misa(CONFIG, DIMS).eval()
    rng = np.random.default_rng(11)
    labels = torch.from_numpy(rng.uniform(-3, 3, size=5).astype(np.float32))
    cases = []
    for rate in RATES:
        batch = tiny_batch(rng, 5, DIMS, SEQ, LENGTHS, rate)
        case = run_case(model, batch, labels)
        case.update({'rate': rate, 'batch': batch})
        cases.append(case)
    weights = engine_weights(model)
    steps = train_epochs(model, [c['batch'] for c in cases], labels, 2)
    after = run_case(model, cases[1]['batch'], labels)['predictions']
    training = {'lr': TRAIN_LR, 'epochs': 2, 'terms': steps, 'predictionsAfter': after}
    write(path, {'config': CONFIG, 'dims': DIMS, 'seq': SEQ, 'labels': labels.numpy(), 'weights': weights, 'cases': cases, 'training': training})


if __name__ == '__main__':
    main(sys.argv[1])
