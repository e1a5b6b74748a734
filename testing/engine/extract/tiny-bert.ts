/** The tiny BERT-shaped ONNX model the language extractor's tests load (scripts/fixtures/make-tiny-bert.py writes it). */
import path from 'node:path';

/** Its folder: what `--bert-model` / the import form's BERT folder takes. */
export const TINY_BERT_DIR = path.join(import.meta.dirname, 'language', 'tiny-bert');
