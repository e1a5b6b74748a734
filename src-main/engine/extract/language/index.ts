/**
 * Language features from the user's transcripts: word-level BERT-base-uncased hidden states
 * ([CLS], one row per word, [SEP]; 768 columns). See docs/extraction.md ("Language").
 */
import { basename, resolve } from 'node:path';
import { DEFAULT_BERT_MODEL, DEFAULT_BERT_REVISION } from './model-source';

export { createTextEncoder } from './text-encoder';
export type { ModelProgress, TextEncoder, TextEncoderOptions } from './text-encoder';
export { DEFAULT_BERT_MODEL, DEFAULT_BERT_REVISION, defaultCacheDir, MODEL_FILES } from './model-source';

/** What decides the language numbers: a change to how they are computed bumps `version`. */
export const LANGUAGE_EXTRACTOR = {
  id: 'dar-bert-words',
  version: '1',
  /** The settings for the manifest; a model folder is named by its folder name (paths differ per machine). */
  settings(opts: { modelDir?: string; modelId?: string; revision?: string } = {}): Record<string, unknown> {
    const id = opts.modelId ?? DEFAULT_BERT_MODEL;
    const revision = opts.revision ?? (id === DEFAULT_BERT_MODEL ? DEFAULT_BERT_REVISION : 'main');
    return {
      model: opts.modelDir !== undefined ? `folder ${basename(resolve(opts.modelDir))}` : `${id}@${revision}`,
      runtime: 'onnxruntime-node (CPU, fp32) via @huggingface/transformers',
      output: 'last_hidden_state',
      rows: '[CLS], one per word (mean of its word pieces), [SEP]',
      words: 'as given (transcript split on whitespace); a word the tokenizer empties reads as [UNK]',
      tokenizer: "the model's own (bert-base-uncased: lowercase, accents stripped, CJK split)",
      long: 'windows of max_position_embeddings tokens, half overlapping; each word from the window where it is most central',
    };
  },
};
