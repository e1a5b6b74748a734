/**
 * A dataset's identity for checkpoints: a model trained on one dataset should not be silently
 * evaluated on another. Hashes what the data is, not where or how it was stored, so the same
 * corpus read from a pickle or a clip folder, or moved to another folder, keeps its fingerprint.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { Dataset, SeqTensor, SplitName } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';

const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];
const VERSION = 'dar-dataset-fingerprint/1';

/** Feature values hashed per split and modality; smaller tensors are hashed whole. */
export const FINGERPRINT_SAMPLES = 65536;

function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Up to FINGERPRINT_SAMPLES values: one from each of that many equal windows, at an offset
 * inside the window that varies from window to window (a fixed integer hash) so the sample does
 * not keep hitting the same feature dimension when the window size is a multiple of d.
 */
function sampleFeatures(x: SeqTensor): Float32Array {
  const total = x.data.length;
  if (total <= FINGERPRINT_SAMPLES) return x.data;
  const out = new Float32Array(FINGERPRINT_SAMPLES);
  for (let k = 0; k < FINGERPRINT_SAMPLES; k++) {
    const start = Math.floor((k * total) / FINGERPRINT_SAMPLES);
    const end = Math.floor(((k + 1) * total) / FINGERPRINT_SAMPLES);
    const jitter = (Math.imul(k + 1, 0x9e3779b1) >>> 0) % (end - start);
    out[k] = x.data[start + jitter];
  }
  return out;
}

function updateSplit(h: Hash, ds: Dataset, name: SplitName): void {
  const s = ds.splits[name];
  h.update(`\nsplit ${name} n=${s.n}\n`);
  h.update(JSON.stringify(s.ids));
  h.update(bytesOf(s.labels));
  for (const m of MODALITIES) {
    h.update(`\n${m} ${s[m].n}x${s[m].t}x${s[m].d}\n`);
    h.update(bytesOf(s.lengths[m]));
    h.update(bytesOf(sampleFeatures(s[m])));
  }
}

/**
 * sha256 (hex) over dims, padded lengths, and per split: n, ids, labels, valid lengths and a
 * deterministic sample of the feature values. Path, name and reader format are left out.
 * Cost is independent of the feature volume (MOSEI included): a few hundred KB are hashed.
 */
export function datasetFingerprint(ds: Dataset): string {
  const h = createHash('sha256');
  const { dims, seqLen } = ds.info;
  h.update(`${VERSION}\ndims ${MODALITIES.map((m) => dims[m]).join(',')} seqLen ${MODALITIES.map((m) => seqLen[m]).join(',')}`);
  for (const name of SPLITS) updateSplit(h, ds, name);
  return h.digest('hex');
}
