import { basename, resolve } from 'node:path';
import type { Dataset, PerModality, SplitData, SplitName } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError, shapeStr } from '../errors';
import type { MmsaSplit } from './mmsa-pickle-split';
import { parseMmsaSplit } from './mmsa-pickle-split';
import type { PickleOptions } from './pickle/read-pickle';
import { readPickleFile } from './pickle/read-pickle';
import { pyTypeName } from './pickle/py-value';

const SPLITS: SplitName[] = ['train', 'valid', 'test'];
const KEYS: PerModality<string> = { l: 'text', a: 'audio', v: 'vision' };

/**
 * Reads an MMSA benchmark pickle (CMU-MOSI, CMU-MOSEI, CH-SIMS; aligned or unaligned) into a
 * Dataset. Non-finite feature values become 0 and are counted per split and modality.
 */
export async function readMmsaPickle(path: string, options: PickleOptions = {}): Promise<Dataset> {
  const root = readPickleFile(path, options);
  const name = basename(path);
  if (!(root instanceof Map)) {
    throw new DarError('DATASET_MISSING_SPLIT', `${name}: expected a dict with train, valid and test, got ${pyTypeName(root)}`);
  }
  const parsed = {} as Record<SplitName, MmsaSplit>;
  for (const split of SPLITS) {
    const dict = root.get(split);
    if (dict === undefined) {
      throw new DarError('DATASET_MISSING_SPLIT', `${name} has no "${split}" split (keys: ${[...root.keys()].join(', ')})`);
    }
    if (!(dict instanceof Map)) throw new DarError('DATASET_MISSING_SPLIT', `${name}: "${split}" is a ${pyTypeName(dict)}, not a dict`);
    parsed[split] = parseMmsaSplit(split, dict);
  }
  const aligned = checkAlignment(parsed);
  const train = parsed.train.data;
  checkAcrossSplits(parsed);
  const nonfinite = { l: 0, a: 0, v: 0 };
  for (const split of SPLITS) for (const m of MODALITIES) nonfinite[m] += parsed[split].data.nonfinite[m];
  const splits = { train, valid: parsed.valid.data, test: parsed.test.data } satisfies Record<SplitName, SplitData>;
  return {
    info: {
      format: 'mmsa-pickle',
      path: resolve(path),
      name,
      dims: { l: train.l.d, a: train.a.d, v: train.v.d },
      seqLen: { l: train.l.t, a: train.a.t, v: train.v.t },
      aligned,
      nonfinite,
      synthetic: false,
      warnings: [],
    },
    splits,
  };
}

/** Aligned files have no *_lengths keys at all; unaligned ones need them in every split. */
function checkAlignment(parsed: Record<SplitName, MmsaSplit>): boolean {
  const withLengths = SPLITS.filter((s) => parsed[s].hasLengths);
  if (withLengths.length === 0) return true;
  const without = SPLITS.find((s) => !parsed[s].hasLengths);
  if (without) {
    throw new DarError('DATASET_MISSING_KEY', `${without} has no audio_lengths/vision_lengths, but ${withLengths.join(', ')} do (unaligned file)`);
  }
  return false;
}

/** Every split must share T and D per modality with train. */
function checkAcrossSplits(parsed: Record<SplitName, MmsaSplit>): void {
  const train = parsed.train.data;
  for (const split of SPLITS.slice(1)) {
    const data = parsed[split].data;
    for (const m of MODALITIES) {
      const [ref, got] = [train[m], data[m]];
      if (ref.t !== got.t || ref.d !== got.d) {
        throw new DarError(
          'DATASET_SHAPE',
          `${split}.${KEYS[m]}: expected ${shapeStr([got.n, ref.t, ref.d])} (T and D as in train), got ${shapeStr([got.n, got.t, got.d])}`,
        );
      }
    }
  }
}
