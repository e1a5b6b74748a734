#!/usr/bin/python3
"""An independent PyTorch implementation of DAR as docs/dar-model.md (spec rev 2) fixes it.

RESEARCH REFERENCE ONLY: the product never imports or runs this. It exists to check the
TypeScript engine against a second implementation of the same spec (docs/parity.md). It was
written from the spec alone (not from the engine's code, not from LNLN/MMSA); the only thing
ported bit-exactly is the seeded generator of the evaluation masks, so that both implementations
are scored on the very same corrupted inputs. Needs PyTorch 1.13 + numpy (Debian: /usr/bin/python3).

Usage:
  /usr/bin/python3 scripts/reference/dar_torch.py train --data P.pkl --k 0.3 --seed 1111 \
      [--epochs 100 --lr 1e-4 --batch 64 --patience 20 --d 128 --t 16 --threads 2] --report out.json
      [--save model.pt]
      trains (selection on validation L_sel at rate 0.5), then writes the robustness report of the
      selected model on the test split, in the shape of `npx dar eval --json` (with its
      `predictions` statistics); --save keeps the selected weights
  /usr/bin/python3 scripts/reference/dar_torch.py bench [--steps 10 --threads 2] [--json]
      ms per training step (CLUB step + main step), batch 64, MOSI-unaligned shapes at full length
  /usr/bin/python3 scripts/reference/dar_torch.py export --weights model.pt --like engine.safetensors --out E.safetensors
      the reference's weights (train --save) as an engine checkpoint, with the metadata of an engine
      checkpoint trained on the same file: `npx dar eval` on it reproduces the reference's report
  /usr/bin/python3 scripts/reference/dar_torch.py masks --data P.pkl
      masked-position counts of the test evaluation masks (bench/parity.ts compares them)
"""
import argparse
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ inside the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from ref_data import EVAL_RATES, MODS, Split, eval_masks, eval_uniforms, normalise, read_pickle  # noqa: E402
from ref_model import Dar  # noqa: E402
from ref_train import Trainer, robustness_report, to_batch, train  # noqa: E402


def config(args):
    """The spec's defaults, overridden by flags."""
    return {
        'seed': args.seed, 'epochs': args.epochs, 'lr': args.lr, 'club_lr': 1e-4, 'wd': 1e-4, 'clip': 2.0,
        'batch': args.batch, 'patience': args.patience, 'd': args.d, 't': args.t, 'heads': 4, 'dropout': 0.1,
        'k': {m: args.k for m in MODS}, 'tau': 0.1, 'lambda': 0.7, 'alpha': 0.1, 'beta': 0.1,
        'ablations': set(args.ablation or []),
    }


def cmd_train(args):
    torch.set_num_threads(args.threads)
    splits, bad = read_pickle(args.data)
    normalise(splits)
    print(f'read {args.data}: ' + ', '.join(f'{k} {s.n}' for k, s in splits.items()) + f'; non-finite -> 0: {bad}', file=sys.stderr)
    model, summary = train(splits, config(args))
    report = robustness_report([model], splits['test'])
    report['meta']['training'] = {k: summary[k] for k in ('selectedEpoch', 'L_sel', 'seconds')}
    with open(args.report, 'w') as f:
        json.dump(report, f, indent=1)
    if args.save:
        torch.save(model.state_dict(), args.save)
    print(f'selected epoch {summary["selectedEpoch"] + 1}, L_sel {summary["L_sel"]:.4f}, {summary["seconds"]:.0f} s; report -> {args.report}', file=sys.stderr)


def synthetic_split(n, rng):
    """A MOSI-unaligned-shaped batch at full length (what the engine's bench times)."""
    feats = {'l': rng.standard_normal((n, 50, 768), np.float32), 'a': rng.standard_normal((n, 375, 5), np.float32),
             'v': rng.standard_normal((n, 500, 20), np.float32)}
    lengths = {m: np.full(n, feats[m].shape[1]) for m in MODS}
    return Split('train', feats, lengths, rng.uniform(-3, 3, n).astype(np.float32), [str(i) for i in range(n)])


def cmd_bench(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    rng = np.random.default_rng(3)
    split = synthetic_split(64, rng)
    args.k, args.seed, args.epochs, args.lr, args.batch, args.patience, args.d, args.t, args.ablation = 0.3, 1, 1, 1e-4, 64, 20, 128, 16, []
    cfg = config(args)
    trainer = Trainer(Dar({m: split.feats[m].shape[2] for m in MODS}, d=128, t=16), cfg)
    masks = {m: rng.random(split.feats[m].shape[:2]) < 0.3 for m in MODS}
    idx = np.arange(64)
    times, cpu = [], []
    for s in range(args.steps + 2):
        t0, c0 = time.perf_counter(), time.process_time()
        corrupt, complete, lengths = to_batch(split, idx, masks)
        trainer.step(corrupt, complete, lengths, torch.from_numpy(split.labels), 1e-4)
        if s >= 2:
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    med, cpu_med = float(np.median(times)), float(np.median(cpu))
    if args.json:
        print(json.dumps({'torch': torch.__version__, 'threads': args.threads, 'ms': times, 'median_ms': med, 'cpu_median_ms': cpu_med}))
    else:
        print(f'PyTorch {torch.__version__} CPU, {args.threads} threads: {med:.0f} ms/step (median of {len(times)}; '
              f'min {min(times):.0f}, max {max(times):.0f}; CPU time {cpu_med:.0f} ms/step over all threads)')


def cmd_export(args):
    from ref_export import engine_weights, write_engine_checkpoint
    write_engine_checkpoint(engine_weights(torch.load(args.weights)), args.like, args.out)
    print(f'{args.weights} -> {args.out}', file=sys.stderr)


def cmd_masks(args):
    """Masked-position counts of the test evaluation masks per rate and modality (parity check of the masks)."""
    splits, _ = read_pickle(args.data)
    test = splits['test']
    u = eval_uniforms(test)
    counts = [int(eval_masks(test, u, {m: r for m in MODS})[mod].sum()) for r in EVAL_RATES for mod in MODS]
    print(json.dumps(counts))


def main():
    p = argparse.ArgumentParser(description='independent PyTorch reference of DAR (spec rev 2); research only')
    sub = p.add_subparsers(dest='cmd', required=True)
    t = sub.add_parser('train')
    t.add_argument('--data', required=True)
    t.add_argument('--report', required=True)
    t.add_argument('--k', type=float, default=0.3)
    t.add_argument('--seed', type=int, default=1111)
    t.add_argument('--epochs', type=int, default=100)
    t.add_argument('--lr', type=float, default=1e-4)
    t.add_argument('--batch', type=int, default=64)
    t.add_argument('--patience', type=int, default=20)
    t.add_argument('--d', type=int, default=128)
    t.add_argument('--t', type=int, default=16)
    t.add_argument('--threads', type=int, default=2)
    t.add_argument('--save', help='also write the selected model\'s state_dict here (torch.save)')
    t.add_argument('--ablation', action='append', choices=['no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot'])
    b = sub.add_parser('bench')
    b.add_argument('--steps', type=int, default=10)
    b.add_argument('--threads', type=int, default=2)
    b.add_argument('--json', action='store_true')
    e = sub.add_parser('export')
    e.add_argument('--weights', required=True)
    e.add_argument('--like', required=True)
    e.add_argument('--out', required=True)
    k = sub.add_parser('masks')
    k.add_argument('--data', required=True)
    args = p.parse_args()
    {'train': cmd_train, 'bench': cmd_bench, 'export': cmd_export, 'masks': cmd_masks}[args.cmd](args)


if __name__ == '__main__':
    main()
