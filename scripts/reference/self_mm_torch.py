"""Self-MM (Yu et al., 2021) as thuiar/MMSA runs it, in PyTorch: the engine's fidelity reference.

Research reference only, written from reading MMSA's models/multiTask/SELF_MM.py and
trains/multiTask/SELF_MM.py (not copied): the [CLS] row of frozen BERT features as text, audio
and video through one-directional LSTMs packed by their own lengths (AuViSubNet), four heads,
and the training loop's unimodal label generation (ULGM): label memory, feature centres, the
weighted L1 losses and the label update from the second epoch on; torch Adam with per-group lr
and (L2) weight decay.

Usage: self_mm_torch.py OUT.json -- writes weights (engine names), a tiny batch at missing rates
0, 0.5 and 0.9 with the eval predictions and terms, and three training steps (one per epoch) on
the rate-0.5 batch: each step's loss terms, the label memory after it, and the final predictions.
"""
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

from baseline_common import RATES, linear_out, lstm_out, tiny_batch, write

CONFIG = {'aLstmHidden': 4, 'vLstmHidden': 6, 'audioOut': 5, 'videoOut': 6, 'aLstmDropout': 0.0, 'vLstmDropout': 0.0,
          'postFusionDim': 8, 'postTextDim': 4, 'postAudioDim': 3, 'postVideoDim': 4,
          'postFusionDropout': 0.0, 'postTextDropout': 0.0, 'postAudioDropout': 0.0, 'postVideoDropout': 0.0,
          'H': 3.0, 'excludeZero': 1, 'lrAudio': 5e-3, 'lrVideo': 5e-3, 'lrOther': 1e-3,
          'wdAudio': 1e-3, 'wdVideo': 1e-3, 'wdOther': 1e-3, 'updateEpochs': 1}
DIMS = {'l': 12, 'a': 3, 'v': 4}
SEQ = {'l': 6, 'a': 9, 'v': 10}
LENGTHS = {'l': [6, 3, 5, 1, 4], 'a': [9, 2, 7, 4, 8], 'v': [10, 6, 3, 2, 9]}
TASKS = (('M', 'fusion'), ('T', 'text'), ('A', 'audio'), ('V', 'vision'))


class AuViSubNet(nn.Module):
    def __init__(self, d_in, hidden, d_out, dropout):
        super().__init__()
        self.rnn = nn.LSTM(d_in, hidden, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.linear_1 = nn.Linear(hidden, d_out)

    def forward(self, x, lengths):
        _, (h, _) = self.rnn(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
        return self.linear_1(self.dropout(h.squeeze(0)))


class Head(nn.Module):
    def __init__(self, d_in, dim, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.layer_1, self.layer_2, self.layer_3 = nn.Linear(d_in, dim), nn.Linear(dim, dim), nn.Linear(dim, 1)

    def forward(self, x):
        feature = torch.relu(self.layer_1(self.dropout(x)))
        return self.layer_3(torch.relu(self.layer_2(feature))), feature


class SelfMM(nn.Module):
    def __init__(self, c, dims):
        super().__init__()
        self.audio_model = AuViSubNet(dims['a'], c['aLstmHidden'], c['audioOut'], c['aLstmDropout'])
        self.video_model = AuViSubNet(dims['v'], c['vLstmHidden'], c['videoOut'], c['vLstmDropout'])
        self.heads = nn.ModuleDict({
            'fusion': Head(dims['l'] + c['audioOut'] + c['videoOut'], c['postFusionDim'], c['postFusionDropout']),
            'text': Head(dims['l'], c['postTextDim'], c['postTextDropout']),
            'audio': Head(c['audioOut'], c['postAudioDim'], c['postAudioDropout']),
            'vision': Head(c['videoOut'], c['postVideoDim'], c['postVideoDropout']),
        })

    def forward(self, text, audio, audio_len, video, video_len):
        t = text[:, 0, :]
        a = self.audio_model(audio, audio_len)
        v = self.video_model(video, video_len)
        inputs = {'fusion': torch.cat([t, a, v], dim=-1), 'text': t, 'audio': a, 'vision': v}
        return {name: self.heads[name](inputs[name]) for _, name in TASKS}


class Ulgm:
    """MMSA's label memory, feature memory and centres, and their update rules."""

    def __init__(self, n, c):
        dims = {'fusion': c['postFusionDim'], 'text': c['postTextDim'], 'audio': c['postAudioDim'], 'vision': c['postVideoDim']}
        self.c = c
        self.labels = {k: torch.zeros(n) for k in dims}
        self.features = {k: torch.zeros(n, d) for k, d in dims.items()}
        self.centres = {k: {'pos': torch.zeros(d), 'neg': torch.zeros(d)} for k, d in dims.items()}

    def init_labels(self, idx, y):
        for k in self.labels:
            self.labels[k][idx] = y

    def weighted_loss(self, pred, y, idx, mode):
        pred, y = pred.view(-1), y.view(-1)
        w = torch.ones_like(pred) if mode == 'fusion' else torch.tanh(torch.abs(self.labels[mode][idx] - self.labels['fusion'][idx]))
        return torch.mean(w * torch.abs(pred - y))

    def update_features(self, feats, idx):
        for k, f in feats.items():
            self.features[k][idx] = f

    def update_centres(self):
        for k in self.labels:
            neg = self.labels[k] < 0
            pos = self.labels[k] > 0 if self.c['excludeZero'] else self.labels[k] >= 0
            self.centres[k]['pos'] = torch.mean(self.features[k][pos], dim=0)
            self.centres[k]['neg'] = torch.mean(self.features[k][neg], dim=0)

    def update_labels(self, feats, epoch, idx):
        tiny = 1e-8

        def gap(f, mode):
            dp = torch.norm(f - self.centres[mode]['pos'], dim=-1)
            dn = torch.norm(f - self.centres[mode]['neg'], dim=-1)
            return (dn - dp) / (dp + tiny)

        delta_f = gap(feats['fusion'], 'fusion')
        y_f = self.labels['fusion'][idx]
        for mode in ('text', 'audio', 'vision'):
            delta_s = gap(feats[mode], mode)
            alpha = delta_s / (delta_f + tiny)
            fresh = torch.clamp(0.5 * alpha * y_f + 0.5 * (y_f + delta_s - delta_f), min=-self.c['H'], max=self.c['H'])
            n = epoch
            self.labels[mode][idx] = (n - 1) / (n + 1) * self.labels[mode][idx] + 2 / (n + 1) * fresh


def run(model, batch):
    t = lambda m: torch.from_numpy(batch[m]['corrupted'])
    ln = lambda m: torch.from_numpy(batch[m]['lengths']).long()
    return model(t('l'), t('a'), ln('a'), t('v'), ln('v'))


def eval_case(model, batch, labels):
    with torch.no_grad():
        out = run(model, batch)
    l1 = {name: float(torch.mean(torch.abs(out[name][0].view(-1) - labels))) for _, name in TASKS}
    terms = {'task': l1['fusion'], 'text': l1['text'], 'audio': l1['audio'], 'vision': l1['vision'], 'total': l1['fusion'], 'sel': l1['fusion']}
    return {'predictions': out['fusion'][0].view(-1).numpy(), 'terms': terms}


def optimiser(model, c):
    other = [p for n, p in model.named_parameters() if not n.startswith(('audio_model', 'video_model'))]
    return torch.optim.Adam([
        {'params': list(model.audio_model.parameters()), 'weight_decay': c['wdAudio'], 'lr': c['lrAudio']},
        {'params': list(model.video_model.parameters()), 'weight_decay': c['wdVideo'], 'lr': c['lrVideo']},
        {'params': other, 'weight_decay': c['wdOther'], 'lr': c['lrOther']},
    ])


def train_steps(model, batch, labels, epochs):
    """One batch per epoch, as MMSA's loop runs it with update_epochs 1."""
    c = CONFIG
    idx = torch.arange(labels.numel())
    ulgm = Ulgm(labels.numel(), c)
    ulgm.init_labels(idx, labels)
    opt = optimiser(model, c)
    steps = []
    model.train()
    for epoch in range(1, epochs + 1):
        opt.zero_grad()
        out = run(model, batch)
        losses = {name: ulgm.weighted_loss(out[name][0], ulgm.labels[name][idx], idx, name) for _, name in TASKS}
        total = sum(losses.values())
        total.backward()
        feats = {name: out[name][1].detach() for _, name in TASKS}
        if epoch > 1:
            ulgm.update_labels(feats, epoch, idx)
        ulgm.update_features(feats, idx)
        ulgm.update_centres()
        opt.step()
        terms = {'task': losses['fusion'], 'text': losses['text'], 'audio': losses['audio'], 'vision': losses['vision'], 'total': total}
        steps.append({'epoch': epoch, 'terms': {k: float(v) for k, v in terms.items()},
                      'labels': {k: v.clone().numpy() for k, v in ulgm.labels.items()}})
    model.eval()
    return steps


def engine_weights(model):
    out = {}
    for name in ('audio_model', 'video_model'):
        sub = getattr(model, name)
        lstm_out(out, f'{name}.rnn', sub.rnn)
        linear_out(out, f'{name}.linear_1', sub.linear_1)
    for key, prefix in (('fusion', 'post_fusion'), ('text', 'post_text'), ('audio', 'post_audio'), ('vision', 'post_video')):
        h = model.heads[key]
        for i in (1, 2, 3):
            linear_out(out, f'{prefix}_layer_{i}', getattr(h, f'layer_{i}'))
    return {k: np.array(v, copy=True) for k, v in out.items()}


def main(path):
    torch.manual_seed(5)
    model = SelfMM(CONFIG, DIMS).eval()
    weights = engine_weights(model)
    rng = np.random.default_rng(13)
    # no zero label: MMSA's excludeZero puts a zero in neither centre
    labels = torch.from_numpy(np.array([2.2, -1.4, 0.6, -2.8, 1.6], dtype=np.float32))
    cases = []
    for rate in RATES:
        batch = tiny_batch(rng, 5, DIMS, SEQ, LENGTHS, rate)
        case = eval_case(model, batch, labels)
        case.update({'rate': rate, 'batch': batch})
        cases.append(case)
    steps = train_steps(model, cases[1]['batch'], labels, 3)
    after = eval_case(model, cases[1]['batch'], labels)['predictions']
    write(path, {'config': CONFIG, 'dims': DIMS, 'seq': SEQ, 'labels': labels.numpy(), 'weights': weights, 'cases': cases,
                 'training': {'rate': 0.5, 'steps': steps, 'predictionsAfter': after}})


if __name__ == '__main__':
    main(sys.argv[1])
