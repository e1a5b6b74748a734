#!/usr/bin/env python3
"""Goldens for the TypeScript acoustic features (src-main/engine/extract/acoustic), from librosa.

Computes, with librosa itself, MMSA-FET's `librosa` configuration (the 13 features of its
example_configs/librosa.json, called with the arguments its librosa extractor injects: sr, hop
128 and n_fft 512 or frame_length 512 where the function takes one) and the CH-SIMS-style
preset (mfcc 20, chroma_cqt, zero_crossing_rate, same framing) on deterministic test signals.
The signal recipes are mirrored in testing/engine/extract/acoustic/signals.ts; the speech clip
(espeak-ng) is stored, since its output is not reproducible across versions.

Usage: librosa_features.py [OUT_DIR]   (default: testing/engine/extract/acoustic)
Writes OUT_DIR/goldens.json (index, tunings, signal fingerprints) and OUT_DIR/<signal>.<preset>.f32
(float32 little-endian, [frames, columns] row-major).
"""
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import librosa

SR = 22050
N_FFT = 512
HOP = 128
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', '..', 'testing', 'engine', 'extract', 'acoustic')


def xorshift_uniform(seed, n):
    """Uniform [0, 1) from xorshift32, bit-identical to signals.ts."""
    x = seed & 0xFFFFFFFF
    out = np.empty(n)
    for i in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x / 2.0**32
    return out


def vowel(n):
    """A voiced vowel: harmonics of a 110 -> 180 Hz glide shaped by three formants."""
    t = np.arange(n) / SR
    f0 = 110 + 70 * t
    phase = 2 * np.pi * (110 * t + 35 * t * t)
    y = np.zeros(n)
    for k in range(1, 51):
        f = k * f0
        gain = sum(a / (1 + ((f - F) / B) ** 2) for F, B, a in ((700, 90, 1.0), (1220, 110, 0.6), (2600, 160, 0.3)))
        y += np.where(f < 10000, gain / k, 0) * np.sin(k * phase)
    env = np.minimum(1, t / 0.05) * np.minimum(1, (t[-1] - t) / 0.1)
    return 0.3 * y * env


def tones(n):
    """Two detuned chords (+30 cents), with a low C2, switching halfway."""
    t = np.arange(n) / SR
    d = 2 ** (0.3 / 12)
    a = 0.3 * np.sin(2 * np.pi * 440 * d * t) + 0.2 * np.sin(2 * np.pi * 554.37 * d * t) + 0.2 * np.sin(2 * np.pi * 659.26 * d * t)
    b = 0.3 * np.sin(2 * np.pi * 196 * d * t) + 0.2 * np.sin(2 * np.pi * 246.94 * d * t) + 0.2 * np.sin(2 * np.pi * 293.66 * d * t)
    return np.where(t < 0.5, a, b) + 0.2 * np.sin(2 * np.pi * 65.41 * t)


def noise(n):
    return 0.3 * (2 * xorshift_uniform(12345, n) - 1)


def clipped(n):
    """A loud 100 -> 3000 Hz chirp clipped at +-0.8."""
    t = np.arange(n) / SR
    return np.clip(2.5 * np.sin(2 * np.pi * (100 * t + 1450 * t * t)), -0.8, 0.8)


def short(n):
    t = np.arange(n) / SR
    return 0.4 * np.sin(2 * np.pi * 300 * t) + 0.05 * (2 * xorshift_uniform(777, n) - 1)


RECIPES = {
    'vowel': (vowel, SR),
    'tones': (tones, SR),
    'noise': (noise, SR),
    'silence': (lambda n: np.zeros(n), SR),
    'clipped': (clipped, SR),
    'short': (short, 1500),
}
SPEECH_FILE = 'speech.s16'


def speech(out_dir):
    """espeak-ng's voice, stored once as int16 (made here if espeak-ng is installed)."""
    path = os.path.join(out_dir, SPEECH_FILE)
    if not os.path.exists(path):
        wav = subprocess.run(['espeak-ng', '--stdout', '-s', '150', 'a quick brown fox'], check=True, capture_output=True).stdout
        y, sr = librosa.load(__import__('io').BytesIO(wav), sr=None)
        assert sr == SR, sr
        y = y[: int(1.2 * SR)]
        (np.round(y * 32767).astype('<i2')).tofile(path)
    return np.fromfile(path, dtype='<i2').astype(np.float32) / 32768.0


def mmsa_librosa(y):
    """MMSA-FET librosa.json, in its order, with the arguments its extractor passes."""
    f = librosa.feature
    spec = dict(n_fft=N_FFT, hop_length=HOP)
    parts = [
        f.chroma_stft(y=y, sr=SR, **spec),
        f.chroma_cqt(y=y, sr=SR, hop_length=HOP),
        f.chroma_cens(y=y, sr=SR, hop_length=HOP),
        f.mfcc(y=y, sr=SR, n_mfcc=13, htk=True, **spec),
        f.rms(y=y, frame_length=N_FFT, hop_length=HOP),
        f.spectral_centroid(y=y, sr=SR, **spec),
        f.spectral_bandwidth(y=y, sr=SR, **spec),
        f.spectral_contrast(y=y, sr=SR, **spec),
        f.spectral_flatness(y=y, **spec),
        f.spectral_rolloff(y=y, sr=SR, **spec),
        f.poly_features(y=y, sr=SR, **spec),
        f.tonnetz(y=y, sr=SR, hop_length=HOP),
        f.zero_crossing_rate(y=y, frame_length=N_FFT, hop_length=HOP),
    ]
    return np.concatenate([p.T for p in parts], axis=1)


def chsims(y):
    f = librosa.feature
    parts = [
        f.mfcc(y=y, sr=SR, n_mfcc=20, n_fft=N_FFT, hop_length=HOP),
        f.chroma_cqt(y=y, sr=SR, hop_length=HOP),
        f.zero_crossing_rate(y=y, frame_length=N_FFT, hop_length=HOP),
    ]
    return np.concatenate([p.T for p in parts], axis=1)


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
    os.makedirs(out_dir, exist_ok=True)
    signals = {name: fn(n).astype(np.float32) for name, (fn, n) in RECIPES.items()}
    signals['speech'] = speech(out_dir if os.path.exists(os.path.join(out_dir, SPEECH_FILE)) else DEFAULT_OUT)
    index = {'librosa': librosa.__version__, 'sampleRate': SR, 'nFft': N_FFT, 'hop': HOP, 'signals': {}}
    warnings.simplefilter('ignore')
    for name, y in signals.items():
        entry = {
            'length': int(len(y)),
            'fingerprint': {'sum': float(np.sum(y, dtype=np.float64)), 'sumSq': float(np.sum(y.astype(np.float64) ** 2)), 'at1000': float(y[1000])},
            'tuning': {
                'stft12': float(librosa.estimate_tuning(S=np.abs(librosa.stft(y, n_fft=N_FFT, hop_length=HOP)) ** 2, sr=SR, bins_per_octave=12)),
                'cqt36': float(librosa.estimate_tuning(y=y, sr=SR, bins_per_octave=36)),
            },
            'presets': {},
        }
        for preset, fn in (('mmsa-librosa', mmsa_librosa), ('chsims', chsims)):
            m = fn(y).astype('<f4')
            m.tofile(os.path.join(out_dir, f'{name}.{preset}.f32'))
            entry['presets'][preset] = {'frames': int(m.shape[0]), 'columns': int(m.shape[1])}
        index['signals'][name] = entry
    with open(os.path.join(out_dir, 'goldens.json'), 'w') as fh:
        json.dump(index, fh, indent=1)
    print(f'wrote goldens for {len(signals)} signals to {out_dir}')


if __name__ == '__main__':
    main()
