import { resolve } from 'node:path';
import type { Modality } from '#contract/dataset';
import type { BackendName, TrainParams } from '#contract/worker-protocol';
import type { Ablation, DarConfig, TrainConfig } from '#contract/model';
import { MODEL_KINDS } from '#contract/model';
import type { TrainProgress } from '#contract/train';
import { DarError } from '../../engine/errors';
import { unwrap } from '../../worker/protocol/engine-client';
import type { FlagTable, ParsedArgs } from '../args';
import type { CliIo, Command } from '../command';
import { withEngine } from '../engine-session';
import { BACKEND_FLAG, DATA_FLAG, JSON_FLAG, backendChoice } from '../flags';

const ABLATION_FLAGS = { 'no-sim': 'no_sim', 'no-diff': 'no_diff', 'no-sim-diff': 'no_sim_diff', 'no-recon': 'no_recon', 'no-boot': 'no_boot' } as const satisfies Record<string, Ablation>;
const rate = (help: string) => ({ type: 'number', value: 'R', help }) as const;
const int = (help: string) => ({ type: 'integer', value: 'N', help }) as const;
const real = (help: string) => ({ type: 'number', value: 'X', help }) as const;
const ablation = (term: string) => ({ type: 'boolean', help: `ablation: train without ${term}` }) as const;

/** Every flag of `dar train`. */
export const TRAIN_FLAGS = {
  data: DATA_FLAG,
  out: { type: 'string', value: '<ckpt.safetensors>', help: 'where the selected checkpoint is written' },
  json: JSON_FLAG,
  model: { type: 'enum', values: MODEL_KINDS, help: 'which model to train [dar]' },
  'model-config': { type: 'string', value: '<json>', help: 'the model\'s own hyperparameters as a JSON object (e.g. a baseline\'s)' },
  preset: { type: 'enum', values: ['mosi', 'mosei', 'demo'], help: "the paper's settings for that dataset" },
  epochs: int('training epochs (the preset\'s by default)'),
  k: { type: 'string', value: 'R|l,a,v', help: 'missing rate, one for all modalities or three (e.g. 0.3,0.2,0.4)' },
  'k-l': rate('missing rate of the text modality'),
  'k-a': rate('missing rate of the audio modality'),
  'k-v': rate('missing rate of the vision modality'),
  mode: { type: 'enum', values: ['fixed', 'uniform', 'lnln'], help: 'how training draws missing rates' },
  seed: int('random seed'),
  lr: real('peak learning rate [1e-4]'),
  batch: int('batch size'),
  patience: int('stop after this many epochs without a better validation L_sel [20]'),
  backend: BACKEND_FLAG,
  d: int('model width [128]'),
  t: int('unified sequence length after alignment [16]'),
  heads: int('attention heads [4]'),
  lambda: real('weight of L_sim + L_diff inside L_decouple [0.7]'),
  alpha: real('weight of L_decouple [0.1]'),
  beta: real('weight of L_recon [0.1]'),
  tau: real('contrastive temperature [0.1]'),
  'no-sim': ablation('the similarity loss'),
  'no-diff': ablation('the difference loss'),
  'no-sim-diff': ablation('the similarity and difference losses'),
  'no-recon': ablation('the reconstruction loss'),
  'no-boot': ablation('the loss on the bootstrapped prediction'),
  'no-resume': { type: 'boolean', help: 'start afresh even if an interrupted run of the same command left a checkpoint' },
} as const satisfies FlagTable;

type TrainArgs = ParsedArgs<typeof TRAIN_FLAGS>;

function kFlag({ flags }: TrainArgs): Record<Modality, number> | undefined {
  const parts = flags.k === undefined ? undefined : flags.k.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (parts && !(parts.length === 1 || parts.length === 3)) throw new DarError('ARG_INVALID', `--k takes one rate or three (l,a,v), got "${flags.k}"`);
  if (parts?.some((p) => !Number.isFinite(p))) throw new DarError('ARG_INVALID', `--k takes numbers, got "${flags.k}"`);
  const base = parts ? { l: parts[0], a: parts[parts.length === 3 ? 1 : 0], v: parts[parts.length === 3 ? 2 : 0] } : undefined;
  const per = { l: flags['k-l'], a: flags['k-a'], v: flags['k-v'] };
  if (!base && per.l === undefined && per.a === undefined && per.v === undefined) return undefined;
  return { l: per.l ?? base?.l ?? 0.3, a: per.a ?? base?.a ?? 0.3, v: per.v ?? base?.v ?? 0.3 };
}

/** Only the flags that were given, so presets and defaults fill the rest. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const DAR_ONLY = ['d', 't', 'heads', 'lambda', 'alpha', 'beta', 'tau', ...(Object.keys(ABLATION_FLAGS) as (keyof typeof ABLATION_FLAGS)[])] as const;

/** --model-config as an object; ARG_INVALID when it is not a JSON object. */
function modelConfigFlag(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DarError('ARG_INVALID', `--model-config must be a JSON object, got "${text}"`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DarError('ARG_INVALID', `--model-config must be a JSON object, got ${text}`);
  return value as Record<string, unknown>;
}

/** The model's overrides: DAR's own flags, then --model-config (another model takes only the latter). */
function modelOverrides(args: TrainArgs): Record<string, unknown> {
  const { flags } = args;
  const kind = flags.model ?? 'dar';
  if (kind !== 'dar') {
    const given = DAR_ONLY.find((f) => flags[f] !== undefined && flags[f] !== false);
    if (given) throw new DarError('ARG_INVALID', `--${given} is a DAR flag; ${kind} takes its hyperparameters from --model-config`);
  }
  const dar: Partial<DarConfig> = defined({ d: flags.d, t: flags.t, heads: flags.heads, lambda: flags.lambda, alpha: flags.alpha, beta: flags.beta, tau: flags.tau });
  return { ...dar, ...modelConfigFlag(flags['model-config']) };
}

/** The training parameters named on the command line. */
export function trainParamsFromArgs(args: TrainArgs): TrainParams {
  const { flags } = args;
  if (!flags.data) throw new DarError('ARG_INVALID', 'missing --data <file|folder>');
  if (!flags.out) throw new DarError('ARG_INVALID', 'missing --out <checkpoint.safetensors>');
  const ablations: Ablation[] = Object.entries(ABLATION_FLAGS).filter(([flag]) => flags[flag as keyof typeof ABLATION_FLAGS]).map(([, a]) => a);
  const train: Partial<TrainConfig> = defined({
    k: kFlag(args),
    mode: flags.mode,
    epochs: flags.epochs,
    lr: flags.lr,
    batchSize: flags.batch,
    seed: flags.seed,
    patience: flags.patience,
    ablations: ablations.length ? ablations : undefined,
  });
  const model = modelOverrides(args);
  return { data: resolve(flags.data), out: resolve(flags.out), preset: flags.preset, ...(flags.model ? { modelKind: flags.model } : {}), train, model, resume: !flags['no-resume'] };
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
export async function runTraining(io: CliIo, params: TrainParams, backend: BackendName | undefined, stderrIsTty = process.stderr.isTTY === true) {
  return withEngine(
    io,
    backend,
    async (engine, backendInfo) => {
      const stop = (): void => {
        io.err('\nstopping after this step (run the same command again to resume)…');
        void engine.call('stopTraining', {});
      };
      process.once('SIGINT', stop);
      try {
        // The rung, its adapter and threads go into --json beside the summary's one-line label.
        return { ...unwrap(await engine.call('train', params)), backendInfo };
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

/** `dar train`: trains DAR (or a baseline, --model) on a dataset and writes the selected checkpoint. */
export const trainCommand: Command<typeof TRAIN_FLAGS> = {
  name: 'train',
  summary: 'train DAR or a baseline on a dataset (progress on stderr; Ctrl+C stops, rerun resumes)',
  flags: TRAIN_FLAGS,
  notes: [
    '--data and --out are required; --k-l/--k-a/--k-v override --k per modality.',
    '--d, --t, --heads, --lambda, --alpha, --beta, --tau and the --no-* ablations are DAR\'s; other models take --model-config.',
  ],
  async run(args, io) {
    const params = trainParamsFromArgs(args);
    const summary = await runTraining(io, params, backendChoice(args.flags.backend));
    const selected = summary.history[summary.selectedEpoch];
    const brief = { ...summary, history: undefined, selectedValid: selected ? { terms: selected.valid, metrics: selected.validMetrics } : null };
    if (args.flags.json) io.out(JSON.stringify(brief, null, 2));
    else {
      io.out(`${summary.cancelled ? 'stopped' : 'done'}: ${summary.epochsRun} epoch(s) in ${summary.seconds.toFixed(1)} s, ${summary.msPerStep.toFixed(0)} ms/step on ${summary.backend}`);
      io.out(`selected epoch ${summary.selectedEpoch + 1} (validation L_sel ${fmt(summary.bestSel)}) -> ${summary.checkpoint}`);
    }
    return 0;
  },
};
