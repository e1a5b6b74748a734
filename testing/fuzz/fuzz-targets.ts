/**
 * The file formats the studio reads, as fuzz targets: the valid inputs (committed fixtures and
 * a few encoded here) that get mutated, the readers each mutant goes through, and the error
 * codes a reader may answer bad input with. Runs in the fuzz child process.
 */
import { writeFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '#contract/errors';
import { DarError } from '../../src-main/engine/errors';
import { parseAnnotationsCsv } from '../../src-main/engine/annotations/annotations-csv';
import { parseAnnotationsJson } from '../../src-main/engine/annotations/annotations-json';
import { decodeSafetensors, encodeSafetensors } from '../../src-main/engine/checkpoint/safetensors';
import { readClipFolder } from '../../src-main/engine/data/clip-folder/clip-folder';
import { parseManifest } from '../../src-main/engine/data/clip-folder/manifest';
import { parseCsv } from '../../src-main/engine/data/feature-files/csv';
import { librosaFromNpy, parseLibrosaCsv } from '../../src-main/engine/data/feature-files/librosa-csv';
import { readMmsaPickle } from '../../src-main/engine/data/mmsa-pickle';
import { parseNpy } from '../../src-main/engine/data/feature-files/npy';
import { parseNpz } from '../../src-main/engine/data/feature-files/npz';
import { parseOpenFaceCsv } from '../../src-main/engine/data/feature-files/openface-csv';
import { readPickleFile } from '../../src-main/engine/data/pickle/read-pickle';
import { annotationDbSeeds, readAnnotationDb } from './fuzz-annotation-db';

/** A valid input of a format. */
export interface Seed {
  name: string;
  bytes: Uint8Array;
}

/** One reader a mutant goes through: it returns (anything) or throws. */
export interface Reader {
  name: string;
  read(bytes: Uint8Array, seed: Seed): unknown;
}

/** A target ready to run: seeds, readers and what to remove afterwards. */
export interface Prepared {
  seeds: Seed[];
  readers: Reader[];
  cleanup?: () => Promise<void>;
}

/** A fuzzed format. */
export interface FuzzTarget {
  /** Mixed into the Rng seed so targets draw independent streams. */
  stream: number;
  /** Codes its readers may throw; anything else (or a non-DarError) is a failure. */
  codes: readonly ErrorCode[];
  prepare(): Promise<Prepared>;
}

const DATA_FIXTURES = fileURLToPath(new URL('../engine/data/', import.meta.url));
const FEATURES = join(DATA_FIXTURES, 'features');
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const DATASET_CODES: readonly ErrorCode[] = ['DATASET_MISSING_SPLIT', 'DATASET_MISSING_KEY', 'DATASET_SHAPE', 'DATASET_DTYPE', 'DATASET_EMPTY', 'DATASET_LABEL', 'DATASET_MISSING_FEATURES'];

/** Every file under `dir` whose name ends with one of `exts`, as seeds named by relative path. */
async function filesUnder(dir: string, exts: readonly string[]): Promise<Seed[]> {
  const names = (await readdir(dir, { recursive: true })).map(String).filter((n) => exts.some((e) => n.endsWith(e))).sort();
  return Promise.all(names.map(async (n) => ({ name: n, bytes: new Uint8Array(await readFile(join(dir, n))) })));
}

async function tempDir(tag: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dar-fuzz-${tag}-`));
}

function safetensorsSeed(): Seed {
  const tensors = new Map([
    ['a.kernel', { data: Float32Array.from({ length: 24 }, (_, i) => i / 7), shape: [2, 3, 4] }],
    ['b.bias', { data: new Float32Array([0.5]), shape: [] }],
    ['c.empty', { data: new Float32Array(0), shape: [0, 5] }],
  ]);
  const chunks = encodeSafetensors(tensors, { config: '{"d": 8}', epoch: '3' });
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
  return { name: 'encoded.safetensors', bytes };
}

/** Writes a mutant to a file in `dir` for readers that take a path; returns the path. */
function fileWriter(dir: string, ext: string): (bytes: Uint8Array) => string {
  return (bytes) => {
    const path = join(dir, `case${ext}`);
    writeFileSync(path, bytes);
    return path;
  };
}

/** A target whose one reader misbehaves on purpose, for testing the harness itself. */
function misbehaving(stream: number, read: () => unknown): FuzzTarget {
  return { stream, codes: ['ARG_INVALID'], prepare: async () => ({ seeds: [{ name: 'x', bytes: new Uint8Array(8) }], readers: [{ name: 'misbehaving', read }] }) };
}

/** The targets by name; the self-test-* ones only prove that hangs, crashes and stray errors fail a run. */
export const TARGETS: Record<string, FuzzTarget> = {
  'self-test-hang': misbehaving(90, () => {
    for (;;);
  }),
  'self-test-crash': misbehaving(91, () => process.kill(process.pid, 'SIGSEGV')),
  'self-test-throw': misbehaving(92, () => new Float64Array(2 ** 40)),
  'self-test-code': misbehaving(93, () => {
    throw new DarError('INTERNAL', 'not an allowed code');
  }),
  npy: {
    stream: 1,
    codes: ['NPY_MALFORMED', 'NPY_UNSUPPORTED', 'DATASET_SHAPE'],
    prepare: async () => ({
      seeds: [...(await filesUnder(join(FEATURES, 'npy'), ['.npy'])), ...(await filesUnder(join(FEATURES, 'csv'), ['.npy']))],
      readers: [
        { name: 'parseNpy', read: (b) => parseNpy(b, 'fuzz.npy') },
        { name: 'librosaFromNpy', read: (b) => librosaFromNpy(parseNpy(b, 'fuzz.npy'), { layout: 'feature-major' }) },
      ],
    }),
  },
  npz: {
    stream: 2,
    codes: ['NPZ_MALFORMED', 'NPY_MALFORMED', 'NPY_UNSUPPORTED'],
    prepare: async () => ({
      seeds: [...(await filesUnder(join(FEATURES, 'npz'), ['.npz'])), ...(await filesUnder(join(FEATURES, 'clip-folder'), ['.npz']))],
      readers: [{ name: 'parseNpz', read: (b) => parseNpz(b, 'fuzz.npz') }],
    }),
  },
  csv: {
    stream: 3,
    codes: ['CSV_MALFORMED', 'MANIFEST_MALFORMED'],
    prepare: async () => ({
      seeds: [...(await filesUnder(join(FEATURES, 'csv'), ['.csv'])), ...(await filesUnder(join(FEATURES, 'clip-folder'), ['.csv']))],
      readers: [
        { name: 'parseCsv', read: (b) => parseCsv(text(b), 'fuzz.csv') },
        { name: 'parseOpenFaceCsv', read: (b) => parseOpenFaceCsv(text(b), 'fuzz.csv') },
        { name: 'parseLibrosaCsv', read: (b) => parseLibrosaCsv(text(b), 'fuzz.csv') },
        { name: 'parseManifest', read: (b) => parseManifest(text(b), 'label.csv') },
      ],
    }),
  },
  safetensors: {
    stream: 4,
    codes: ['CHECKPOINT_MALFORMED'],
    prepare: async () => ({
      seeds: [...(await filesUnder(fileURLToPath(new URL('../engine/checkpoint/', import.meta.url)), ['.safetensors'])), safetensorsSeed()],
      readers: [{ name: 'decodeSafetensors', read: (b) => decodeSafetensors(b, 'fuzz.safetensors') }],
    }),
  },
  pickle: {
    stream: 5,
    codes: ['PICKLE_UNSAFE', 'PICKLE_TRUNCATED', 'PICKLE_MALFORMED', 'PICKLE_UNSUPPORTED', ...DATASET_CODES],
    prepare: async () => {
      const dir = await tempDir('pickle');
      const write = fileWriter(dir, '.pkl');
      return {
        seeds: await filesUnder(join(DATA_FIXTURES, 'pickles'), ['.pkl']),
        readers: [
          // A small lazy threshold sends payloads down the streamed (lazy slice) path too.
          { name: 'readPickleFile', read: (b) => readPickleFile(write(b), { lazyThreshold: 64, chunkSize: 4096 }) },
          { name: 'readMmsaPickle', read: (b) => readMmsaPickle(write(b)) },
        ],
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  'clip-folder': {
    stream: 6,
    // FILE_UNREADABLE: a manifest id can name a path the OS refuses (too long, a NUL byte).
    codes: ['MANIFEST_MALFORMED', 'NPZ_MALFORMED', 'NPY_MALFORMED', 'NPY_UNSUPPORTED', 'CSV_MALFORMED', 'FILE_UNREADABLE', ...DATASET_CODES],
    prepare: async () => {
      const dir = await tempDir('clip-folder');
      const root = join(dir, 'ds');
      await cp(join(FEATURES, 'clip-folder'), root, { recursive: true });
      const seeds = await filesUnder(root, ['.csv', '.json', '.npz', '.npy']);
      return {
        seeds,
        readers: [
          {
            name: 'readClipFolder',
            // One file of the folder is swapped for the mutant, then put back.
            read: async (b, seed) => {
              const path = join(root, seed.name);
              await writeFile(path, b);
              try {
                return await readClipFolder(root);
              } finally {
                await writeFile(path, seed.bytes);
              }
            },
          },
        ],
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  'annotations-csv': {
    stream: 7,
    codes: ['ANNOTATIONS_INVALID'],
    prepare: async () => ({
      seeds: [...(await annotationDbSeeds()).exports.csv, ...(await filesUnder(join(FEATURES, 'clip-folder'), ['label.csv']))],
      readers: [{ name: 'parseAnnotationsCsv', read: (b) => parseAnnotationsCsv(text(b), 'fuzz.csv') }],
    }),
  },
  'annotations-json': {
    stream: 8,
    codes: ['ANNOTATIONS_INVALID'],
    prepare: async () => ({
      seeds: (await annotationDbSeeds()).exports.json,
      readers: [{ name: 'parseAnnotationsJson', read: (b) => parseAnnotationsJson(text(b), 'fuzz.json') }],
    }),
  },
  'annotations-db': {
    stream: 9,
    codes: ['ANNOTATIONS_CORRUPT', 'ANNOTATIONS_VERSION'],
    prepare: async () => {
      const dir = await tempDir('annotations-db');
      return {
        seeds: (await annotationDbSeeds()).databases,
        readers: [{ name: 'AnnotationStore', read: (b) => readAnnotationDb(dir, b) }],
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
};
