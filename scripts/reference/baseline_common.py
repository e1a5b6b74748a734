"""Shared pieces of the baseline references (misa_torch.py, self_mm_torch.py).

Research reference only: a tiny synthetic batch in the engine's layout (row-major [B, t, d],
lengths, masked frames zeroed in the corrupted branch) and the export of PyTorch weights under
the engine's dotted names and layouts (Linear kernel [in, out], LSTM kernel [d, 4u], both biases).
"""
import json

import numpy as np
import torch

RATES = (0.0, 0.5, 0.9)


def tiny_batch(rng, size, dims, seq, lengths, rate):
    """{modality: {complete, corrupted, lengths, t, d}} with each valid frame masked with probability rate."""
    out = {}
    for m in ('l', 'a', 'v'):
        t, d = seq[m], dims[m]
        x = rng.normal(size=(size, t, d)).astype(np.float32)
        mask = np.zeros((size, t), dtype=np.uint8)
        for b in range(size):
            x[b, lengths[m][b]:] = 0
            mask[b, :lengths[m][b]] = rng.random(lengths[m][b]) < rate
        corrupted = x * (1 - mask[:, :, None])
        out[m] = {'complete': x, 'corrupted': corrupted.astype(np.float32), 'mask': mask,
                  'lengths': np.asarray(lengths[m], dtype=np.int32), 't': t, 'd': d}
    return out


def _copy(t):
    """A numpy copy (.numpy() shares the parameter's memory, which training would then change)."""
    return np.array(t.detach().numpy(), copy=True)


def linear_out(out, name, layer):
    out[f'{name}.kernel'] = _copy(layer.weight).T
    out[f'{name}.bias'] = _copy(layer.bias)


def norm_out(out, name, layer):
    out[f'{name}.gamma'] = _copy(layer.weight)
    out[f'{name}.beta'] = _copy(layer.bias)


def lstm_out(out, name, lstm, layer=0, directions=('fw',)):
    """One nn.LSTM layer's directions as engine LstmWeights (kernel [d, 4u], recurrent [u, 4u], bias)."""
    for side in directions:
        sfx = f'_l{layer}' + ('_reverse' if side == 'bw' else '')
        g = lambda k: _copy(getattr(lstm, k + sfx))
        out[f'{name}.{side}.kernel'] = g('weight_ih').T
        out[f'{name}.{side}.recurrent_kernel'] = g('weight_hh').T
        out[f'{name}.{side}.bias_ih'] = g('bias_ih')
        out[f'{name}.{side}.bias_hh'] = g('bias_hh')


def as_json(x):
    """Numpy arrays as {shape, data} (float32 values, exactly as the engine will hold them)."""
    if isinstance(x, np.ndarray):
        flat = x.reshape(-1)
        if flat.dtype in (np.int32, np.uint8, np.int64):
            return {'shape': list(x.shape), 'data': [int(v) for v in flat]}
        # 9 significant digits round-trip a float32 exactly
        return {'shape': list(x.shape), 'data': [float(f'{v:.9g}') for v in flat.astype(np.float32)]}
    if isinstance(x, torch.Tensor):
        return as_json(x.detach().numpy())
    if isinstance(x, dict):
        return {k: as_json(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [as_json(v) for v in x]
    return x


def write(path, payload):
    with open(path, 'w') as f:
        json.dump(as_json(payload), f, separators=(',', ':'))
