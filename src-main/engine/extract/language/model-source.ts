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

/** The hub the model is downloaded from unless HF_ENDPOINT or the options name a mirror. */
export const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';

/** The files a model folder needs, relative to it (what @huggingface/transformers reads). */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;

/** How to find the model; see createTextEncoder. */
export interface ModelSourceOptions {
  /** A folder holding MODEL_FILES: used as is, never downloaded to. */
  modelDir?: string;
  /** Where downloads are kept (default ~/.dar-studio/models; the studio passes <home>/models). */
  cacheDir?: string;
  /** Hub id (default DEFAULT_BERT_MODEL). */
  modelId?: string;
  /** Never touch the network: a model missing from the cache is an error. */
  offline?: boolean;
  /** Hub address (default HF_ENDPOINT, else huggingface.co): a mirror, or a test server. */
  remoteHost?: string;
}

/** A resolved source: what to hand from_pretrained, and words for messages and the manifest. */
export interface ModelSource {
  /** An absolute folder path, or a hub id. */
  id: string;
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

/** The files of MODEL_FILES that `folder` lacks. */
export function missingModelFiles(folder: string): string[] {
  return MODEL_FILES.filter((f) => !existsSync(join(folder, f)));
}

const HOW_TO =
  `A model folder holds ${MODEL_FILES.join(', ')} (e.g. a copy of huggingface.co/${DEFAULT_BERT_MODEL}); ` +
  'download it once where there is internet and pass the folder with --bert-model <dir> (studio: "BERT folder").';

/** Resolves the options; a named folder must already hold the model, a cache must when offline. */
export function resolveModelSource(options: ModelSourceOptions, env: NodeJS.ProcessEnv = process.env): ModelSource {
  const remoteHost = withSlash(options.remoteHost ?? env.HF_ENDPOINT ?? DEFAULT_REMOTE_HOST);
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir());
  if (options.modelDir !== undefined) {
    // Absolute, so the library reads it as a path: a relative "a/b" would pass for a hub id.
    const folder = resolve(options.modelDir);
    const missing = missingModelFiles(folder);
    if (missing.length > 0) throw new DarError('EXTRACT_MODEL_MISSING', `${folder} is not a BERT model folder: it lacks ${missing.join(', ')}. ${HOW_TO}`);
    return { id: folder, cacheDir, local: true, remoteHost, folder };
  }
  const id = options.modelId ?? DEFAULT_BERT_MODEL;
  const folder = join(cacheDir, id);
  if (options.offline) {
    const missing = missingModelFiles(folder);
    if (missing.length > 0) throw new DarError('EXTRACT_MODEL_MISSING', `offline, and ${id} is not in the cache ${cacheDir} (it lacks ${missing.join(', ')}). ${HOW_TO}`);
  }
  return { id, cacheDir, local: false, remoteHost, folder };
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
