/**
 * Where the BERT model comes from: a folder the user names (offline, nothing downloaded), or
 * the Hugging Face hub through a cache folder (downloaded once, with progress, then read from
 * disk). Every way of not finding it ends in EXTRACT_MODEL_MISSING saying what to do.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DarError } from '../../errors';

/** The hub model MMSA-FET's `bert-base-uncased`, exported to ONNX (fp32: onnx/model.onnx). */
export const DEFAULT_BERT_MODEL = 'Xenova/bert-base-uncased';

/**
 * Its branch with the encoder's own outputs (last_hidden_state): the repository's main branch
 * holds the masked-LM export, whose only output is the vocabulary logits.
 */
export const DEFAULT_BERT_REVISION = 'default';

/** The hub the model is downloaded from unless HF_ENDPOINT or the options name a mirror. */
export const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';

/** The files a model folder needs, relative to it (what @huggingface/transformers reads). */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;

/** Where the ONNX graph may sit in a folder: the hub's layout, or optimum-cli's flat one. */
const GRAPH_FOLDERS = ['onnx', ''] as const;

/** How to find the model; see createTextEncoder. */
export interface ModelSourceOptions {
  /** A folder holding MODEL_FILES: used as is, never downloaded to. */
  modelDir?: string;
  /** Where downloads are kept (default ~/.dar-studio/models; the studio passes <home>/models). */
  cacheDir?: string;
  /** Hub id (default DEFAULT_BERT_MODEL). */
  modelId?: string;
  /** Hub branch or commit (default DEFAULT_BERT_REVISION for the default model, else main). */
  revision?: string;
  /** Never touch the network: a model missing from the cache is an error. */
  offline?: boolean;
  /** Hub address (default HF_ENDPOINT, else huggingface.co): a mirror, or a test server. */
  remoteHost?: string;
}

/** A resolved source: what to hand from_pretrained, and words for messages and the manifest. */
export interface ModelSource {
  /** An absolute folder path, or a hub id. */
  id: string;
  revision: string;
  /** The folder of the ONNX graph inside the model folder ('' when it sits at the top). */
  subfolder: string;
  cacheDir: string;
  local: boolean;
  remoteHost: string;
  /** The folder the files are read from once present. */
  folder: string;
}

/** The default cache folder when the caller names none. */
export function defaultCacheDir(): string {
  return join(homedir(), '.dar-studio', 'models');
}

/** Where the graph is in `folder`, and the files of MODEL_FILES it lacks (a flat model.onnx will do). */
export function inspectModelFolder(folder: string): { subfolder: string; missing: string[] } {
  const subfolder = GRAPH_FOLDERS.find((sub) => existsSync(join(folder, sub, 'model.onnx'))) ?? 'onnx';
  const missing = MODEL_FILES.filter((f) => !existsSync(join(folder, f === 'onnx/model.onnx' ? join(subfolder, 'model.onnx') : f)));
  return { subfolder, missing };
}

const HOW_TO =
  `A model folder holds ${MODEL_FILES.join(', ')} (e.g. huggingface.co/${DEFAULT_BERT_MODEL}, branch "${DEFAULT_BERT_REVISION}"); ` +
  'download it once where there is internet and pass the folder with --bert-model <dir> (studio: "BERT folder").';

/** Resolves the options; a named folder must already hold the model, a cache must when offline. */
export function resolveModelSource(options: ModelSourceOptions, env: NodeJS.ProcessEnv = process.env): ModelSource {
  const remoteHost = withSlash(options.remoteHost ?? env.HF_ENDPOINT ?? DEFAULT_REMOTE_HOST);
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir());
  if (options.modelDir !== undefined) {
    // Absolute, so the library reads it as a path: a relative "a/b" would pass for a hub id.
    const folder = resolve(options.modelDir);
    const { subfolder, missing } = inspectModelFolder(folder);
    if (missing.length > 0) throw new DarError('EXTRACT_MODEL_MISSING', `${folder} is not a BERT model folder: it lacks ${missing.join(', ')}. ${HOW_TO}`);
    return { id: folder, revision: 'main', subfolder, cacheDir, local: true, remoteHost, folder };
  }
  const id = options.modelId ?? DEFAULT_BERT_MODEL;
  const revision = options.revision ?? (id === DEFAULT_BERT_MODEL ? DEFAULT_BERT_REVISION : 'main');
  // The library's file cache keeps another revision than main under <id>/<revision>/.
  const folder = revision === 'main' ? join(cacheDir, id) : join(cacheDir, id, revision);
  if (options.offline) {
    const { missing } = inspectModelFolder(folder);
    if (missing.length > 0) throw new DarError('EXTRACT_MODEL_MISSING', `offline, and ${id} (${revision}) is not in the cache ${folder} (it lacks ${missing.join(', ')}). ${HOW_TO}`);
  }
  return { id, revision, subfolder: 'onnx', cacheDir, local: false, remoteHost, folder };
}

/** EXTRACT_MODEL_MISSING for a graph without the encoder's hidden states (a task head's export). */
export function notAnEncoder(source: ModelSource, outputs: readonly string[]): DarError {
  return new DarError(
    'EXTRACT_MODEL_MISSING',
    `the ONNX graph of ${source.folder} outputs ${outputs.join(', ')}, not last_hidden_state: it is a task head's export ` +
      `(e.g. the masked-LM one on ${DEFAULT_BERT_MODEL}'s main branch). Use a feature-extraction export: branch "${DEFAULT_BERT_REVISION}" ` +
      'of that repository, or `optimum-cli export onnx --model bert-base-uncased --task feature-extraction <dir>`.',
  );
}

/** Turns a failed load into EXTRACT_MODEL_MISSING with the reason and what to do. */
export function modelLoadError(source: ModelSource, err: unknown): DarError {
  if (err instanceof DarError) return err;
  const reason = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
  const where = source.local ? `from ${source.folder}` : `${source.id} from ${source.remoteHost} into ${source.cacheDir}`;
  return new DarError('EXTRACT_MODEL_MISSING', `cannot load the BERT model ${where} (${reason}). ${HOW_TO}`);
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
