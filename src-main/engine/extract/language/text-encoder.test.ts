import { cp, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, readGoldens, startFakeHub, TINY_BERT_DIR, TINY_BERT_MLM_DIR } from '../../../../testing/engine/extract/language/tiny-bert-fixture';
import { createTextEncoder, LANGUAGE_EXTRACTOR, type ModelProgress, type TextEncoder } from './index';
import { planWindows } from './word-rows';

const goldens = readGoldens();
const row = (data: Float32Array, r: number, dim: number) => data.subarray(r * dim, (r + 1) * dim);

let encoder: TextEncoder;
beforeAll(async () => {
  encoder = await createTextEncoder({ modelDir: TINY_BERT_DIR });
});
afterAll(async () => {
  await encoder.dispose();
});

describe('the BERT text encoder (tiny fixture model)', () => {
  it('gives the hidden size of the model', () => {
    expect(encoder.dim).toBe(goldens.dim);
  });

  it.each(goldens.cases.map((c) => [c.words.join(' '), c] as const))('agrees with PyTorch on "%s"', async (_, golden) => {
    const { rows, data } = await encoder.encode(golden.words);
    expect(rows).toBe(golden.words.length + 2);
    expect(rows).toBe(golden.rows);
    expect(maxAbsDiff(data, golden.data)).toBeLessThan(1e-4);
  });

  it('averages the pieces of a word, and the average differs from each piece alone', async () => {
    // "filmings" is film ##ing ##s: its row is not the row of "film" in the same place.
    const pooled = await encoder.encode(['good', 'filmings']);
    const single = await encoder.encode(['good', 'film']);
    expect(maxAbsDiff(row(pooled.data, 2, encoder.dim), row(single.data, 2, encoder.dim))).toBeGreaterThan(1e-2);
  });

  it('puts [CLS] first and [SEP] last: two rows for an empty transcript', async () => {
    const empty = await encoder.encode([]);
    expect(empty.rows).toBe(2);
    expect(empty.data).toHaveLength(2 * encoder.dim);
    expect(empty.data.every(Number.isFinite)).toBe(true);
    const one = await encoder.encode(['great']);
    const golden = goldens.cases.find((c) => c.words.join() === 'great')!;
    expect(maxAbsDiff(row(one.data, 0, encoder.dim), golden.data.slice(0, encoder.dim))).toBeLessThan(1e-4);
    expect(maxAbsDiff(row(one.data, 2, encoder.dim), golden.data.slice(2 * encoder.dim))).toBeLessThan(1e-4);
    // [CLS] and [SEP] read the sentence: they change with it.
    expect(maxAbsDiff(row(empty.data, 0, encoder.dim), row(one.data, 0, encoder.dim))).toBeGreaterThan(1e-3);
  });

  it('keeps a row for a word the tokenizer empties, reading it as [UNK]', async () => {
    const zeroWidth = await encoder.encode(['so', '\u200b', 'good']);
    const emoji = await encoder.encode(['so', '😀', 'good']);
    expect(zeroWidth.rows).toBe(5);
    expect(maxAbsDiff(zeroWidth.data, emoji.data)).toBeLessThan(1e-6);
  });

  it('reads a transcript longer than the model\'s positions in windows, one row per word', async () => {
    // Every word here is one piece, so the plan follows from the word count alone.
    const vocab = ['the', 'movie', 'was', 'so', 'good', 'and', 'i', 'really', 'like', 'it'];
    const words = Array.from({ length: 100 }, (_, i) => vocab[(i * 7) % vocab.length]);
    const maxPieces = 40 - 2; // the fixture's max_position_embeddings is 40
    const plan = planWindows(words.map(() => 1), maxPieces);
    expect(plan.windows.length).toBeGreaterThan(2);
    const long = await encoder.encode(words);
    expect(long.rows).toBe(102);
    expect(long.data.every(Number.isFinite)).toBe(true);
    // Each word's row is the one a pass over its window alone gives; [CLS] and [SEP] come from the ends.
    for (const [k, win] of plan.windows.entries()) {
      const alone = await encoder.encode(words.slice(win.first, win.end));
      for (let w = win.first; w < win.end; w++) {
        if (plan.owner[w] !== k) continue;
        expect(maxAbsDiff(row(long.data, w + 1, encoder.dim), row(alone.data, w - win.first + 1, encoder.dim))).toBeLessThan(1e-5);
      }
      if (k === 0) expect(maxAbsDiff(row(long.data, 0, encoder.dim), row(alone.data, 0, encoder.dim))).toBeLessThan(1e-5);
      if (k === plan.windows.length - 1) {
        expect(maxAbsDiff(row(long.data, 101, encoder.dim), row(alone.data, alone.rows - 1, encoder.dim))).toBeLessThan(1e-5);
      }
    }
  });

  it('stamps the model and the layout for the manifest', () => {
    expect(LANGUAGE_EXTRACTOR.settings({}).model).toBe('Xenova/bert-base-uncased@default');
    expect(LANGUAGE_EXTRACTOR.settings({ modelId: 'me/bert' }).model).toBe('me/bert@main');
    expect(LANGUAGE_EXTRACTOR.settings({ modelDir: '/x/y/bert-base-uncased' }).model).toBe('folder bert-base-uncased');
  });
});

describe('finding the model', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dar-bert-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says EXTRACT_MODEL_MISSING, and what to do, for a folder without the model', async () => {
    const err = await createTextEncoder({ modelDir: dir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EXTRACT_MODEL_MISSING' });
    expect(String((err as Error).message)).toMatch(/onnx\/model\.onnx.*--bert-model/);
  });

  it('refuses a masked-LM export (logits only, like the main branch of Xenova/bert-base-uncased)', async () => {
    const err = await createTextEncoder({ modelDir: TINY_BERT_MLM_DIR }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EXTRACT_MODEL_MISSING' });
    expect(String((err as Error).message)).toMatch(/outputs logits, not last_hidden_state.*feature-extraction/);
  });

  it("reads a folder in optimum-cli's flat layout (model.onnx beside config.json)", async () => {
    const flat = join(dir, 'flat');
    await cp(TINY_BERT_DIR, flat, { recursive: true });
    await rename(join(flat, 'onnx/model.onnx'), join(flat, 'model.onnx'));
    const bert = await createTextEncoder({ modelDir: flat });
    expect(maxAbsDiff((await bert.encode(goldens.cases[1].words)).data, goldens.cases[1].data)).toBeLessThan(1e-4);
    await bert.dispose();
  });

  it('says EXTRACT_MODEL_MISSING offline when the cache lacks the model, without any request', async () => {
    const hub = await startFakeHub();
    try {
      const err = await createTextEncoder({ cacheDir: join(dir, 'empty'), offline: true, remoteHost: hub.url }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'EXTRACT_MODEL_MISSING' });
      expect(String((err as Error).message)).toMatch(/offline.*--bert-model/);
      expect(hub.requests).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it('says EXTRACT_MODEL_MISSING when the hub cannot be reached', async () => {
    const hub = await startFakeHub();
    await hub.close(); // nothing listens there any more
    const err = await createTextEncoder({ cacheDir: join(dir, 'unreachable'), remoteHost: hub.url }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EXTRACT_MODEL_MISSING' });
    expect(String((err as Error).message)).toMatch(/--bert-model/);
  });

  it('downloads into the cache once with progress, then loads from it offline', async () => {
    const hub = await startFakeHub();
    const cacheDir = join(dir, 'cache');
    const progress: ModelProgress[] = [];
    try {
      const fresh = await createTextEncoder({ cacheDir, modelId: 'dar/tiny-bert', remoteHost: hub.url, onProgress: (p) => progress.push(p) });
      const words = goldens.cases[0].words;
      const downloaded = await fresh.encode(words);
      await fresh.dispose();
      const size = (await stat(join(TINY_BERT_DIR, 'onnx/model.onnx'))).size;
      const last = progress.filter((p) => p.file === 'onnx/model.onnx').at(-1);
      expect(last).toEqual({ file: 'onnx/model.onnx', loaded: size, total: size });
      expect(await readdir(join(cacheDir, 'dar/tiny-bert/onnx'))).toEqual(['model.onnx']);
      expect(hub.requests).toContain('/dar/tiny-bert/resolve/main/onnx/model.onnx');
      const asked = hub.requests.length;
      const cached = await createTextEncoder({ cacheDir, modelId: 'dar/tiny-bert', remoteHost: hub.url, offline: true });
      expect(maxAbsDiff((await cached.encode(words)).data, downloaded.data)).toBe(0);
      expect(maxAbsDiff(downloaded.data, goldens.cases[0].data)).toBeLessThan(1e-4);
      await cached.dispose();
      expect(hub.requests.length).toBe(asked);
    } finally {
      await hub.close();
    }
  });

  it("fetches the default model from its feature-extraction branch and keeps it under that revision", async () => {
    const hub = await startFakeHub();
    const cacheDir = join(dir, 'default-cache');
    try {
      const bert = await createTextEncoder({ cacheDir, remoteHost: hub.url });
      await bert.dispose();
      expect(hub.requests).toContain('/Xenova/bert-base-uncased/resolve/default/onnx/model.onnx');
      expect(await readdir(join(cacheDir, 'Xenova/bert-base-uncased/default/onnx'))).toEqual(['model.onnx']);
      const offline = await createTextEncoder({ cacheDir, offline: true });
      expect(maxAbsDiff((await offline.encode(goldens.cases[0].words)).data, goldens.cases[0].data)).toBeLessThan(1e-4);
      await offline.dispose();
    } finally {
      await hub.close();
    }
  });
});
