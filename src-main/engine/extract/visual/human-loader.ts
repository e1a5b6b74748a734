/**
 * Loads @vladmandic/human (MIT; its MediaPipe BlazeFace/FaceMesh models are Apache-2.0 and
 * its Oarriaga emotion model MIT) from the npm package itself, offline, on the engine's own
 * tfjs-core. The package's `exports` map sends Node to `human.node.js`, which needs
 * tfjs-node (no binary can be downloaded here), so we load its sibling `human.node-wasm.js`
 * by path: that build leaves `@tensorflow/tfjs-core`, `-converter` and `-backend-wasm` as
 * plain requires, so it runs on the one tfjs-core the engine already uses (one global engine,
 * no second copy). Models are read from the package's `models/` folder through a tfjs load
 * router of ours, because Node's fetch cannot read `file://` URLs and only tfjs-node
 * registers a file handler.
 */
import type { Config, Human } from '@vladmandic/human';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DarError } from '../../errors';
import { unpackedPath } from '../../media/resolve-ffmpeg';

const requireHere = createRequire(import.meta.url);

/** The URL scheme our load router answers; anything else goes to tfjs's own routers. */
const MODEL_SCHEME = 'dar-human-model://';

/** The `dist/` folder of the installed @vladmandic/human. */
export function humanDistDir(): string {
  try {
    return path.dirname(requireHere.resolve('@vladmandic/human'));
  } catch (err) {
    throw new DarError('FILE_NOT_FOUND', `@vladmandic/human is not installed: ${(err as Error).message}`);
  }
}

/** The folder of model files shipped inside the @vladmandic/human package (unpacked beside an app.asar when packaged). */
export function humanModelDir(): string {
  const dir = path.join(humanDistDir(), '..', 'models');
  // electron-builder.yml unpacks the models, so they read the same with or without asar support in this thread.
  const unpacked = unpackedPath(dir);
  return unpacked !== dir && existsSync(unpacked) ? unpacked : dir;
}

interface WeightGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** Reads a tfjs graph model (model.json plus its weight shards) from disk. */
export function readModelArtifacts(jsonFile: string): tf.io.ModelArtifacts {
  if (!existsSync(jsonFile)) throw new DarError('FILE_NOT_FOUND', `face model file missing: ${jsonFile}`);
  const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as tf.io.ModelJSON & { weightsManifest: WeightGroup[] };
  const dir = path.dirname(jsonFile);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(path.join(dir, p))));
  const all = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
}

let routerRegistered = false;

function registerModelRouter(): void {
  if (routerRegistered) return;
  const router = (url: string | string[]): tf.io.IOHandler | null => {
    const first = Array.isArray(url) ? url[0] : url;
    if (typeof first !== 'string' || !first.startsWith(MODEL_SCHEME)) return null;
    const file = first.slice(MODEL_SCHEME.length);
    return { load: async () => readModelArtifacts(file) };
  };
  // tfjs types a router as never returning null, but its registry skips a null answer.
  tf.io.registerLoadRouter(router as Parameters<typeof tf.io.registerLoadRouter>[0]);
  routerRegistered = true;
}

type HumanModule = { Human: new (config?: Partial<Config>) => Human };

let humanModule: HumanModule | undefined;

function loadHumanModule(): HumanModule {
  if (!humanModule) {
    const file = path.join(humanDistDir(), 'human.node-wasm.js');
    if (!existsSync(file)) throw new DarError('FILE_NOT_FOUND', `@vladmandic/human has no Node WebAssembly build at ${file}`);
    humanModule = requireHere(file) as HumanModule;
  }
  return humanModule;
}

/** A Human instance with its models loaded from the package, on the wasm backend. */
export async function loadHuman(config: Partial<Config>, wasmDir: string): Promise<Human> {
  registerModelRouter();
  const { Human: HumanClass } = loadHumanModule();
  const human = new HumanClass({
    ...config,
    backend: 'wasm',
    wasmPath: wasmDir,
    modelBasePath: MODEL_SCHEME + humanModelDir() + path.sep,
  });
  await human.load();
  const missing = ['blazeface', 'facemesh', 'emotion'].filter((name) => human.models.models[name] == null);
  if (missing.length > 0) throw new DarError('FILE_UNREADABLE', `face models failed to load: ${missing.join(', ')}`);
  return human;
}
