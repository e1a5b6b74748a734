import { resolve } from 'node:path';
import type { Modality } from '../../contract/dataset';
import type { PresetName, TrainParams } from '../../contract/engine';
import type { Ablation, DarConfig, TrainConfig, TrainMode } from '../../contract/model';
import type { TrainProgress } from '../../contract/train';
import { DarError } from '../../engine/errors';
import { unwrap } from '../../worker/protocol/engine-client';
import type { ParsedArgs } from '../args';
import { numberFlag, parseArgs, stringFlag } from '../args';
import type { CliIo, Command } from '../command';
import { backendFlag, withEngine } from '../engine-session';

const ABLATION_FLAGS: Record<string, Ablation> = { 'no-sim': 'no_sim', 'no-diff': 'no_diff', 'no-sim-diff': 'no_sim_diff', 'no-recon': 'no_recon', 'no-boot': 'no_boot' };
const BOOLEAN = ['json', 'no-resume', ...Object.keys(ABLATION_FLAGS)];

function kFlag(args: ParsedArgs): Record<Modality, number> | undefined {
  const all = stringFlag(args, 'k');
  const parts = all === undefined ? undefined : all.split(',').map(Number);
  if (parts && !(parts.length === 1 || parts.length === 3)) throw new DarError('ARG_INVALID', `--k takes one rate or three (l,a,v), got "${all}"`);
  const base = parts ? { l: parts[0], a: parts[parts.length === 3 ? 1 : 0], v: parts[parts.length === 3 ? 2 : 0] } : undefined;
  const per = { l: numberFlag(args, 'k-l'), a: numberFlag(args, 'k-a'), v: numberFlag(args, 'k-v') };
  if (!base && per.l === undefined && per.a === undefined && per.v === undefined) return undefined;
  const k = { l: per.l ?? base?.l ?? 0.3, a: per.a ?? base?.a ?? 0.3, v: per.v ?? base?.v ?? 0.3 };
  for (const m of ['l', 'a', 'v'] as const) if (!Number.isFinite(k[m])) throw new DarError('ARG_INVALID', `--k: rate for ${m} is not a number`);
  return k;
}

/** Only the flags that were given, so presets and defaults fill the rest. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The training parameters named on the command line. */
export function trainParamsFromArgs(args: ParsedArgs): TrainParams {
  const data = stringFlag(args, 'data');
  const out = stringFlag(args, 'out');
  if (!data) throw new DarError('ARG_INVALID', 'missing --data <file|folder>');
  if (!out) throw new DarError('ARG_INVALID', 'missing --out <checkpoint.safetensors>');
  const preset = stringFlag(args, 'preset') as PresetName | undefined;
  if (preset && !['mosi', 'mosei', 'demo'].includes(preset)) throw new DarError('ARG_INVALID', `--preset must be mosi, mosei or demo, got "${preset}"`);
  const ablations = Object.entries(ABLATION_FLAGS).filter(([flag]) => args.flags.has(flag)).map(([, a]) => a);
  const train: Partial<TrainConfig> = defined({
    k: kFlag(args),
    mode: stringFlag(args, 'mode') as TrainMode | undefined,
    epochs: numberFlag(args, 'epochs'),
    lr: numberFlag(args, 'lr'),
    batchSize: numberFlag(args, 'batch'),
    seed: numberFlag(args, 'seed'),
    patience: numberFlag(args, 'patience'),
    ablations: ablations.length ? ablations : undefined,
  });
  const model: Partial<DarConfig> = defined({
    d: numberFlag(args, 'd'),
    t: numberFlag(args, 't'),
    heads: numberFlag(args, 'heads'),
    lambda: numberFlag(args, 'lambda'),
    alpha: numberFlag(args, 'alpha'),
    beta: numberFlag(args, 'beta'),
    tau: numberFlag(args, 'tau'),
  });
  return { data: resolve(data), out: resolve(out), preset, train, model, resume: !args.flags.has('no-resume') };
}

const fmt = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));

function minutes(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 60000).toFixed(1)} min` : '?';
}

/** One stderr line per epoch, and a live step line on terminals. */
export function progressLine(p: TrainProgress): string | null {
  if (p.kind === 'step') return `epoch ${p.epoch + 1}/${p.epochs} step ${p.step}/${p.steps} L_total ${fmt(p.terms?.total)} ETA ${minutes(p.etaMs)}`;
  const r = p.record!;
  const m = r.validMetrics;
  return `epoch ${r.epoch + 1}/${p.epochs}  lr ${r.lr.toExponential(1)}  train L_total ${fmt(r.train.total)}  valid L_sel ${fmt(r.valid.sel)}  MAE ${fmt(m.MAE)}  Acc-2 ${fmt(m.Non0_acc_2)}  Corr ${fmt(m.Corr)}${r.best ? '  * saved' : ''}  (${r.seconds.toFixed(1)} s, ETA ${minutes(p.etaMs)})`;
}

/** Trains with progress on stderr; shared by `dar train` and `dar demo-model`. */
export async function runTraining(io: CliIo, params: TrainParams, args: ParsedArgs, stderrIsTty = process.stderr.isTTY === true) {
  return withEngine(
    io,
    backendFlag(args),
    async (engine) => {
      const stop = (): void => {
        io.err('\nstopping after this step (run the same command again to resume)…');
        void engine.call('stopTraining', {});
      };
      process.once('SIGINT', stop);
      try {
        return unwrap(await engine.call('train', params));
      } finally {
        process.off('SIGINT', stop);
      }
    },
    (e) => {
      if (e.type !== 'train-progress') return;
      const line = progressLine(e.progress);
      if (e.progress.kind === 'epoch') io.err(stderrIsTty ? `\r\x1b[K${line}` : line!);
      else if (stderrIsTty) process.stderr.write(`\r\x1b[K${line}`);
    },
  );
}

/** `dar train`: trains DAR on a dataset and writes the selected checkpoint. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'train DAR on a dataset (progress on stderr; Ctrl+C stops, rerun resumes)',
  usage: [
    'dar train --data <file|folder> --out <ckpt.safetensors> [--json]',
    '  [--preset mosi|mosei|demo] [--epochs N] [--k 0.3 | --k 0.3,0.2,0.4 | --k-l R --k-a R --k-v R]',
    '  [--mode fixed|uniform|lnln] [--seed S] [--lr X] [--batch N] [--patience N] [--backend auto|gpu|native|wasm|cpu]',
    '  [--d 128 --t 16 --heads 4 --lambda 0.7 --alpha 0.1 --beta 0.1 --tau 0.1]',
    '  [--no-sim] [--no-diff] [--no-sim-diff] [--no-recon] [--no-boot] [--no-resume]',
  ].join('\n'),
  booleanFlags: BOOLEAN,
  async run(argv, io) {
    const args = parseArgs(argv, BOOLEAN);
    const params = trainParamsFromArgs(args);
    const summary = await runTraining(io, params, args);
    const selected = summary.history[summary.selectedEpoch];
    const brief = { ...summary, history: undefined, selectedValid: selected ? { terms: selected.valid, metrics: selected.validMetrics } : null };
    if (args.flags.has('json')) io.out(JSON.stringify(brief, null, 2));
    else {
      io.out(`${summary.cancelled ? 'stopped' : 'done'}: ${summary.epochsRun} epoch(s) in ${summary.seconds.toFixed(1)} s, ${summary.msPerStep.toFixed(0)} ms/step on ${summary.backend}`);
      io.out(`selected epoch ${summary.selectedEpoch + 1} (validation L_sel ${fmt(summary.bestSel)}) -> ${summary.checkpoint}`);
    }
    return 0;
  },
};
