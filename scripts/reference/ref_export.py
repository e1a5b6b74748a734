"""The reference's weights under the engine's names and layouts, so the engine can run them.

Research reference only (see dar_torch.py). PyTorch keeps a Linear weight as [out, in] and a
Conv1d weight as [out, in, k]; the engine keeps `kernel` [in, out] and [k, in, out]. The
reference's cross-modal block has one LayerNorm for queries and keys/values (`ln1`); the engine
has `ln_q` and `ln_kv`, which both get it, so the engine computes exactly the reference's
function. PyTorch's LSTM has two biases per direction (ih + hh); the engine has their sum.
"""
import json
import struct

import numpy as np

_RENAME = {'fc1': 'dense1', 'fc2': 'dense2', 'out': 'output', 'weight': 'kernel'}


def _linear_name(parts):
    """align.l.norm.weight -> align.l.ln.gamma; enc_com.l.ffn.fc1.weight -> enc_com.l.ffn.dense1.kernel."""
    *path, leaf = parts
    if path[-1].startswith('ln') or path[-1] == 'norm':
        path = path[:-1] + ['ln' if path[-1] == 'norm' else path[-1]]
        return path, {'weight': 'gamma', 'bias': 'beta'}[leaf]
    return [_RENAME.get(p, p) for p in path], _RENAME.get(leaf, leaf)


def engine_weights(state_dict):
    """{engine dotted name: float32 array} for every variable the engine holds."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in state_dict.items()}
    out = {}
    for name, w in sd.items():
        parts = name.split('.')
        if parts[0] == 'club' and parts[2] == 'lstm':
            if not parts[3].startswith('weight_ih'):
                continue
            side = 'bw' if parts[3].endswith('_reverse') else 'fw'
            sfx = '_reverse' if side == 'bw' else ''
            base = f'club.{parts[1]}.lstm'
            out[f'{base}.{side}.kernel'] = w.T
            out[f'{base}.{side}.recurrent_kernel'] = sd[f'{base}.weight_hh_l0{sfx}'].T
            out[f'{base}.{side}.bias'] = sd[f'{base}.bias_ih_l0{sfx}'] + sd[f'{base}.bias_hh_l0{sfx}']
            continue
        if parts[0] == 'align' and parts[2] == 'pos':
            out[name] = w
            continue
        if parts[0] == 'align' and parts[2] == 'conv':
            out[f'align.{parts[1]}.conv.{_RENAME.get(parts[3], parts[3])}'] = w.transpose(2, 1, 0) if parts[3] == 'weight' else w
            continue
        if parts[0] == 'rec_com_in':
            parts = ['rec_com', parts[1], 'proj', *parts[2:]]
        elif parts[0] == 'rec_com':
            parts = ['rec_com', parts[1], 'block', *parts[2:]]
        path, leaf = _linear_name(parts)
        value = w.T if leaf == 'kernel' else w
        if parts[0] == 'fuse_spec' and path[-1] == 'ln1':
            for ln in ('ln_q', 'ln_kv'):
                out['.'.join(path[:-1] + [ln, leaf])] = value
            continue
        out['.'.join(path + [leaf])] = value
    return {k: np.ascontiguousarray(v) for k, v in out.items()}


def write_engine_checkpoint(weights, like, out):
    """An engine checkpoint (safetensors) of `weights` with the `__metadata__` of the engine checkpoint
    `like` (config, normaliser, fingerprint: train that on the same file); shapes must match it."""
    with open(like, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop('__metadata__')
    if set(header) != set(weights):
        raise SystemExit(f'{like} holds other variables: {sorted(set(header) ^ set(weights))[:5]}')
    out_header, offset = {'__metadata__': meta}, 0
    for name in sorted(weights):
        if list(weights[name].shape) != header[name]['shape']:
            raise SystemExit(f'{name}: shape {list(weights[name].shape)} but {like} has {header[name]["shape"]}')
        out_header[name] = {'dtype': 'F32', 'shape': list(weights[name].shape), 'data_offsets': [offset, offset + weights[name].nbytes]}
        offset += weights[name].nbytes
    text = json.dumps(out_header).encode()
    text += b' ' * (-len(text) % 8)
    with open(out, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text)
        for name in sorted(weights):
            f.write(weights[name].astype('<f4').tobytes())
