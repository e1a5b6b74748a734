/**
 * The tiny BERT fixture (scripts/fixtures/make-tiny-bert.py): its folder, its PyTorch goldens,
 * and a local "hub" serving it, so the download path is tested without the internet.
 */
import { readFileSync } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

/** The committed fixture folder: config.json, tokenizer.json, onnx/model.onnx, goldens.json. */
export const TINY_BERT_DIR = join(import.meta.dirname, 'tiny-bert');

/** The same model exported with its masked-LM head: only `logits` out. */
export const TINY_BERT_MLM_DIR = join(import.meta.dirname, 'tiny-bert-mlm');

/** One golden: words in, PyTorch's pooled rows out ([CLS], words, [SEP]; row-major). */
export interface BertGolden {
  words: string[];
  ids: number[];
  rows: number;
  data: number[];
}

/** The goldens a fixture folder's script run wrote. */
export function readGoldens(dir = TINY_BERT_DIR): { dim: number; cases: BertGolden[] } {
  return JSON.parse(readFileSync(join(dir, 'goldens.json'), 'utf8')) as { dim: number; cases: BertGolden[] };
}

/** Largest absolute difference between two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** A stand-in for huggingface.co: GET /<any id>/resolve/<any revision>/<file> serves <dir>/<file>. */
export interface FakeHub {
  url: string;
  /** The paths asked for, in order (404s included), e.g. /dar/tiny-bert/resolve/main/config.json. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts a FakeHub on a free local port. */
export async function startFakeHub(dir = TINY_BERT_DIR): Promise<FakeHub> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    const m = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(.+)$/.exec(url);
    const file = m ? normalize(m[1]) : '';
    requests.push(url);
    const path = join(dir, file);
    void stat(path)
      .then(async (s) => {
        if (!m || file.startsWith('..') || !s.isFile()) throw new Error('not here');
        res.writeHead(200, { 'content-length': String(s.size), 'content-type': 'application/octet-stream' });
        res.end(req.method === 'HEAD' ? undefined : await readFile(path));
      })
      .catch(() => {
        res.writeHead(404);
        res.end();
      });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        // fetch keeps its connections alive for seconds; close should not wait for them.
        server.closeAllConnections();
      }),
  };
}
