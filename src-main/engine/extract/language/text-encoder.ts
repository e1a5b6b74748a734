/**
 * Word-level BERT features: each transcript word becomes one row of BERT's last hidden state
 * (the mean of its word pieces), between the [CLS] and [SEP] rows, as MMSA-FET's BERT extractor
 * computes them per word piece. Runs @huggingface/transformers on ONNX Runtime (the native CPU
 * build shipped inside onnxruntime-node's npm package; nothing is fetched at install time).
 */
import type * as Transformers from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer, ProgressInfo } from '@huggingface/transformers';
import { modelLoadError, notAnEncoder, resolveModelSource, type ModelSource, type ModelSourceOptions } from './model-source';
import { planWindows, poolWindow } from './word-rows';

/** A loaded text encoder: words to [CLS], one row per word, [SEP]. */
export interface TextEncoder {
  /** Hidden size: 768 for BERT-base. */
  readonly dim: number;
  /** [words.length + 2, dim] rows, row-major: [CLS], one row per word, [SEP]. */
  encode(words: string[]): Promise<{ rows: number; data: Float32Array }>;
  /** Frees the ONNX session. */
  dispose(): Promise<void>;
}

/** Download progress of one model file, in bytes (total 0 when the server does not say). */
export interface ModelProgress {
  file: string;
  loaded: number;
  total: number;
}

/** How to find the model (model-source.ts) and who hears about its download. */
export interface TextEncoderOptions extends ModelSourceOptions {
  onProgress?: (p: ModelProgress) => void;
  /** ONNX Runtime's threads per pass (default: its own choice, one per core). */
  threads?: number;
}

type Library = typeof Transformers;

/** The library's settings are process-wide, so loads take turns while they set them. */
let envTurn: Promise<unknown> = Promise.resolve();

function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  const run = envTurn.then(fn, fn);
  envTurn = run.catch(() => undefined);
  return run;
}

function progressCallback(onProgress: TextEncoderOptions['onProgress']): ((info: ProgressInfo) => void) | undefined {
  if (!onProgress) return undefined;
  return (info) => {
    if (info.status === 'progress') onProgress({ file: info.file, loaded: info.loaded, total: info.total });
  };
}

async function loadParts(lib: Library, source: ModelSource, options: TextEncoderOptions) {
  const { env } = lib;
  env.allowLocalModels = true;
  env.allowRemoteModels = !source.local && !options.offline;
  // A hub id is then read from <cache>/<id>/ whether the cache or the "local model" lookup finds it.
  env.localModelPath = source.cacheDir;
  env.cacheDir = source.cacheDir;
  env.remoteHost = source.remoteHost;
  env.logLevel = lib.LogLevel.ERROR;
  const common = {
    cache_dir: source.cacheDir,
    revision: source.revision,
    local_files_only: !env.allowRemoteModels,
    progress_callback: progressCallback(options.onProgress),
  };
  const tokenizer = await lib.AutoTokenizer.from_pretrained(source.id, common);
  // Threads that spin between passes steal the cores the other extractors (and, on a shared
  // machine, everyone else) need; measured on 2 busy cores, spinning halved the throughput.
  const session_options = {
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const model = await lib.AutoModel.from_pretrained(source.id, { ...common, subfolder: source.subfolder, dtype: 'fp32', device: 'cpu', session_options });
  const outputs = (model.sessions as Record<string, { outputNames: readonly string[] }>).model?.outputNames ?? [];
  if (!outputs.includes('last_hidden_state')) {
    await model.dispose();
    throw notAnEncoder(source, outputs);
  }
  return { tokenizer, model };
}

/** Loads BERT (see ModelSourceOptions for where from); failures are EXTRACT_MODEL_MISSING. */
export async function createTextEncoder(options: TextEncoderOptions = {}): Promise<TextEncoder> {
  const source = resolveModelSource(options);
  const lib = await import('@huggingface/transformers');
  const { tokenizer, model } = await inTurn(() => loadParts(lib, source, options)).catch((err: unknown) => {
    throw modelLoadError(source, err);
  });
  return new BertWordEncoder(lib, tokenizer, model);
}

interface BertShape {
  hidden_size?: number;
  max_position_embeddings?: number;
}

class BertWordEncoder implements TextEncoder {
  readonly dim: number;
  private readonly maxPieces: number;
  private readonly cls: number;
  private readonly sep: number;
  private readonly unk: number;

  constructor(
    private readonly lib: Library,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
  ) {
    const config = model.config as BertShape;
    this.dim = config.hidden_size ?? 768;
    this.maxPieces = (config.max_position_embeddings ?? 512) - 2;
    // The template's own special tokens: encoding nothing gives exactly [CLS] [SEP].
    [this.cls, this.sep] = tokenizer.encode('');
    this.unk = tokenizer.unk_token_id ?? 0;
  }

  /** A word's piece ids: at least one ([UNK] for a word the normaliser empties), at most a window. */
  private pieces(word: string): number[] {
    const ids = this.tokenizer.encode(word, { add_special_tokens: false });
    return ids.length === 0 ? [this.unk] : ids.slice(0, this.maxPieces);
  }

  async encode(words: string[]): Promise<{ rows: number; data: Float32Array }> {
    const pieces = words.map((w) => this.pieces(w));
    const counts = pieces.map((p) => p.length);
    const plan = planWindows(counts, this.maxPieces);
    const data = new Float32Array((words.length + 2) * this.dim);
    for (let k = 0; k < plan.windows.length; k++) {
      const { first, end } = plan.windows[k];
      const ids = [this.cls, ...pieces.slice(first, end).flat(), this.sep];
      poolWindow(data, await this.lastHidden(ids), this.dim, counts, plan, k);
    }
    return { rows: words.length + 2, data };
  }

  /** One pass: the last hidden state [ids.length, dim] of one unpadded sequence. */
  private async lastHidden(ids: number[]): Promise<Float32Array> {
    const { Tensor } = this.lib;
    const shape = [1, ids.length];
    const feeds = {
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), shape),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), shape),
      token_type_ids: new Tensor('int64', new BigInt64Array(ids.length), shape),
    };
    try {
      const out = (await this.model(feeds)) as Record<string, InstanceType<Library['Tensor']>>;
      const copy = (out.last_hidden_state.data as Float32Array).slice(0, ids.length * this.dim);
      for (const t of Object.values(out)) t.dispose();
      return copy;
    } finally {
      for (const t of Object.values(feeds)) t.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
