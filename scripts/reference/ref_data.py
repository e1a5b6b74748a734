"""Data side of the PyTorch reference: MMSA pickle reading, normalisation, the corruption operator.

Research reference only (see dar_torch.py); written from docs/dar-model.md rev 2.
The evaluation masks must be the very masks the product uses (spec: "masks from a fixed
evaluation seed (1111) so every model sees the same corruption"), so the seeded generator is
ported bit-exactly: xoshiro128** seeded by a SplitMix32-style hash of (seed, *streams), uniforms
with 53 bits from two outputs, one [N, T_m] row-major matrix per split (train 0, valid 1, test 2)
and modality (l 0, a 1, v 2). Training masks use numpy's own generator (any seeded draw is fine).
"""
import pickle

import numpy as np

MODS = ('l', 'a', 'v')
KEYS = {'l': 'text', 'a': 'audio', 'v': 'vision'}
SPLIT_STREAM = {'train': 0, 'valid': 1, 'test': 2}
EVAL_SEED = 1111
EVAL_RATES = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
VALID_RATE = 0.5
M32 = 0xFFFFFFFF
GOLDEN = 0x9E3779B9


def _fmix32(z):
    z &= M32
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
    return z ^ (z >> 16)


def seed_state(seed, *streams):
    """The xoshiro128** state for (seed, *streams)."""
    parts = [seed, *streams]
    h = _fmix32(GOLDEN ^ len(parts))
    for x in parts:
        h = _fmix32(((h + GOLDEN) & M32) ^ (x & M32))
        h = _fmix32(((h + GOLDEN) & M32) ^ ((x >> 32) & M32))
    s = []
    for _ in range(4):
        h = (h + GOLDEN) & M32
        s.append(_fmix32(h))
    if not any(s):
        s[0] = 1
    return s


def uniforms(seed, streams, count):
    """`count` uniforms in [0, 1) (53 bits each) from the stream (seed, *streams)."""
    s0, s1, s2, s3 = seed_state(seed, *streams)
    raw = np.empty(2 * count, np.uint64)
    for k in range(2 * count):
        m = (s1 * 5) & M32
        raw[k] = (((((m << 7) | (m >> 25)) & M32) * 9) & M32)
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 11) | (s3 >> 21)) & M32
    hi = (raw[0::2] >> np.uint64(5)).astype(np.float64)
    lo = (raw[1::2] >> np.uint64(6)).astype(np.float64)
    return (hi * 67108864.0 + lo) / 9007199254740992.0


class Split:
    """One split: features per modality [N, T, D] float32 (padding 0), lengths, labels, ids."""

    def __init__(self, name, feats, lengths, labels, ids):
        self.name, self.feats, self.lengths, self.labels, self.ids = name, feats, lengths, labels, ids
        self.n = len(labels)


def _lengths(d, text_len):
    if 'audio_lengths' in d or 'vision_lengths' in d:
        return {'l': text_len, 'a': np.asarray(d['audio_lengths'], np.int64), 'v': np.asarray(d['vision_lengths'], np.int64)}
    return {'l': text_len, 'a': text_len, 'v': text_len}


def read_pickle(path):
    """The three splits of an MMSA pickle, non-finite values -> 0, padding -> 0, and the non-finite count."""
    with open(path, 'rb') as f:
        raw = pickle.load(f)
    splits, bad = {}, 0
    for name in ('train', 'valid', 'test'):
        d = raw[name]
        text_len = np.asarray(d['text_bert'])[:, 1, :].sum(axis=1).astype(np.int64)
        lengths = _lengths(d, text_len)
        feats = {}
        for m in MODS:
            x = np.array(d[KEYS[m]], dtype=np.float32)
            finite = np.isfinite(x)
            bad += int((~finite).sum())
            x[~finite] = 0.0
            x[np.arange(x.shape[1])[None, :] >= lengths[m][:, None]] = 0.0
            feats[m] = x
        labels = np.asarray(d['regression_labels'], np.float32).reshape(-1)
        splits[name] = Split(name, feats, lengths, labels, [str(i) for i in d['id']])
    return splits, bad


def normalise(splits):
    """Per-dimension mean / population std of a and v over the valid train frames, applied everywhere."""
    stats = {}
    for m in ('a', 'v'):
        tr = splits['train']
        valid = np.arange(tr.feats[m].shape[1])[None, :] < tr.lengths[m][:, None]
        frames = tr.feats[m][valid].astype(np.float64)
        mean, std = frames.mean(axis=0), frames.std(axis=0)
        std[std < 1e-6] = 1.0
        stats[m] = (mean, std)
        for s in splits.values():
            pad = np.arange(s.feats[m].shape[1])[None, :] >= s.lengths[m][:, None]
            s.feats[m] = ((s.feats[m] - mean) / std).astype(np.float32)
            s.feats[m][pad] = 0.0
    return stats


def finalise(mask, lengths, m):
    """Fixed rules: padding never masked, text [CLS] and [SEP] always kept."""
    t = mask.shape[1]
    mask &= np.arange(t)[None, :] < lengths[:, None]
    if m == 'l':
        rows = np.nonzero(lengths > 0)[0]
        mask[rows, 0] = False
        mask[rows, lengths[rows] - 1] = False
    return mask


def eval_uniforms(split, seed=EVAL_SEED):
    """One [N, T_m] uniform matrix per modality for this split, drawn once (masks nest across rates)."""
    out = {}
    for mi, m in enumerate(MODS):
        n, t = split.feats[m].shape[:2]
        out[m] = uniforms(seed, [SPLIT_STREAM[split.name], mi], n * t).reshape(n, t)
    return out


def eval_masks(split, u, rates):
    """Boolean masks (True = missing) at per-modality rates from eval_uniforms."""
    return {m: finalise(u[m] < rates[m], split.lengths[m], m) for m in MODS}


def train_masks(split, k, rng):
    """Fresh 'fixed'-mode training masks: every valid position missing with probability k_m."""
    out = {}
    for m in MODS:
        n, t = split.feats[m].shape[:2]
        out[m] = finalise(rng.random((n, t)) < k[m], split.lengths[m], m)
    return out
