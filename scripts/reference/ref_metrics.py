"""MMSA's eight regression metrics as docs/dar-model.md rev 2 ("Metrics") defines them (numpy only).

Research reference only (see dar_torch.py).
"""
import numpy as np


def _weighted_f1(true, pred):
    """sklearn's f1_score(average='weighted') for boolean classes; a never-predicted class scores 0."""
    total, n = 0.0, len(true)
    for c in (False, True):
        support = int((true == c).sum())
        if support == 0:
            continue
        tp = int(((pred == c) & (true == c)).sum())
        predicted = int((pred == c).sum())
        prec = tp / predicted if predicted else 0.0
        rec = tp / support
        f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
        total += f1 * support / n
    return total


def _corr(p, y):
    if len(p) < 2 or np.all(p == p[0]) or np.all(y == y[0]):
        return None
    return float(np.clip(np.corrcoef(p, y)[0, 1], -1, 1))


def metrics(pred, label):
    """The eight metrics as fractions (None where undefined)."""
    p, y = np.asarray(pred, np.float64), np.asarray(label, np.float64)
    non0 = y != 0
    out = {
        'Has0_acc_2': float(np.mean((p >= 0) == (y >= 0))),
        'Has0_F1_score': _weighted_f1(y >= 0, p >= 0),
        'Non0_acc_2': float(np.mean((p[non0] > 0) == (y[non0] > 0))) if non0.any() else None,
        'Non0_F1_score': _weighted_f1(y[non0] > 0, p[non0] > 0) if non0.any() else None,
        'Mult_acc_5': float(np.mean(np.round(np.clip(p, -2, 2)) == np.round(np.clip(y, -2, 2)))),
        'Mult_acc_7': float(np.mean(np.round(np.clip(p, -3, 3)) == np.round(np.clip(y, -3, 3)))),
        'MAE': float(np.mean(np.abs(p - y))),
        'Corr': _corr(p, y),
    }
    return out
