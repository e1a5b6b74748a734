import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering of conventions.md is enforced by ESLint; these cases prove the rule bites and
// that its message names the crossed layer.
const eslint = new ESLint({ cwd: process.cwd() });

async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule', () => {
  it('refuses Electron in the engine', async () => {
    const messages = await lint('src-main/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages.join()).toMatch(/engine\/ is pure Node/);
  });

  it('refuses engine code in the renderer', async () => {
    const messages = await lint('src-renderer/src/x.ts', "import { DarError } from '../../src-main/engine/errors';\nexport const e = DarError;\n");
    expect(messages.join()).toMatch(/src-renderer\/ may import src-main\/contract types only/);
  });

  it('refuses Node built-ins in the renderer', async () => {
    const messages = await lint('src-renderer/src/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n");
    expect(messages.join()).toMatch(/no Electron, Node or tfjs/);
  });

  it('refuses upward imports from the engine into the CLI', async () => {
    const messages = await lint('src-main/engine/x.ts', "import { main } from '../cli/main';\nexport const m = main;\n");
    expect(messages.join()).toMatch(/engine\/ sits below/);
  });

  it('keeps what the shells share out of the worker', async () => {
    const messages = await lint('src-main/worker/x.ts', "import { STUDIO_CSP } from '../shell-common/studio-csp';\nexport const c = STUDIO_CSP;\n");
    expect(messages.join()).toMatch(/worker\/ may import only engine\/ and contract\//);
  });

  it('keeps Electron and the worker out of what the shells share', async () => {
    const electron = await lint('src-main/shell-common/x.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(electron.join()).toMatch(/both shells share/);
    const worker = await lint('src-main/shell-common/x.ts', "import { startEngine } from '../worker/protocol/engine-client';\nexport const s = startEngine;\n");
    expect(worker.join()).toMatch(/shell-common\/ may import engine\/ and contract\/ only/);
  });

  it('lets both shells import what they share', async () => {
    for (const shell of ['app', 'host']) {
      const messages = await lint(`src-main/${shell}/x.ts`, "import { STUDIO_CSP } from '../shell-common/studio-csp';\nexport const c = STUDIO_CSP;\n");
      expect(messages).toEqual([]);
    }
  });

  it('names the contract by its alias, not by a relative climb', async () => {
    const messages = await lint('src-main/worker/x/y.ts', "import type { Dataset } from '../../contract/dataset';\nexport type D = Dataset;\n");
    expect(messages.join()).toMatch(/#contract\/<file>/);
  });

  it('lets the renderer import contract types', async () => {
    const messages = await lint('src-renderer/src/x.ts', "import type { Dataset } from '#contract/dataset';\nexport type D = Dataset;\n");
    expect(messages).toEqual([]);
  });
});

describe('test-code-stays-out lint rule', () => {
  const TEST_ONLY = /test-code-stays-out: testing\//;
  const TOOLS = /test-code-stays-out: tools\//;

  it('refuses test-only code in shipped engine, worker and renderer files', async () => {
    expect(await lint('src-main/engine/data/x.ts', "import { tinyDataset } from '../../../testing/engine/tiny-dataset';\nexport const t = tinyDataset;\n")).toEqual([expect.stringMatching(TEST_ONLY)]);
    expect(await lint('src-main/worker/x.ts', "import { runFuzz } from '../../testing/fuzz/fuzz-harness';\nexport const f = runFuzz;\n")).toEqual([expect.stringMatching(TEST_ONLY)]);
    expect(await lint('src-renderer/src/stores/x.ts', "import { fakeStudio } from '../../../testing/renderer/fake-studio';\nexport const f = fakeStudio;\n")).toEqual([expect.stringMatching(TEST_ONLY)]);
  });

  it('refuses the old fixture spellings too, and keeps the layer rules beside it', async () => {
    const messages = await lint('src-main/engine/x.ts', "import { a } from './model/dar-model-fixture';\nimport { b } from './__fixtures__/b';\nimport { app } from 'electron';\nexport const c = [a, b, app];\n");
    expect(messages).toEqual([expect.stringMatching(TEST_ONLY), expect.stringMatching(TEST_ONLY), expect.stringMatching(/engine\/ is pure Node/)]);
  });

  it('refuses tools/ in the studio but lets the CLI use it (and not testing/)', async () => {
    const demo = "import { writeDemoCorpus } from '../../tools/demo-corpus/write-demo-corpus';\nexport const w = writeDemoCorpus;\n";
    expect(await lint('src-main/worker/x.ts', demo)).toEqual([expect.stringMatching(TOOLS)]);
    expect(await lint('src-main/app/x.ts', demo)).toEqual([expect.stringMatching(TOOLS)]);
    expect(await lint('src-main/host/x.ts', demo)).toEqual([expect.stringMatching(TOOLS)]);
    expect(await lint('src-main/cli/x.ts', demo)).toEqual([]);
    expect(await lint('src-main/cli/x.ts', "import { tinyDataset } from '../../testing/engine/tiny-dataset';\nexport const t = tinyDataset;\n")).toEqual([expect.stringMatching(TEST_ONLY)]);
    expect(await lint('tools/demo-corpus/x.ts', "import { tinyDataset } from '../../testing/engine/tiny-dataset';\nexport const t = tinyDataset;\n")).toEqual([expect.stringMatching(TEST_ONLY)]);
  });

  it('lets tests import test-only code, under their layer rules', async () => {
    expect(await lint('src-main/engine/x.test.ts', "import { tinyDataset } from '../../testing/engine/tiny-dataset';\nexport const t = tinyDataset;\n")).toEqual([]);
    expect(await lint('src-main/engine/x.test.ts', "import { app } from 'electron';\nexport const a = app;\n").then((m) => m.join())).toMatch(/engine\/ is pure Node/);
    expect(await lint('src-renderer/src/x.test.ts', "import { fakeStudio } from '../../testing/renderer/fake-studio';\nexport const f = fakeStudio;\n")).toEqual([]);
  });

  it('holds the renderer fakes to the page rules', async () => {
    const messages = await lint('testing/renderer/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n");
    expect(messages.join()).toMatch(/no Electron, Node or tfjs/);
  });

  it('finds no test tooling left in the product folders', () => {
    const files = ['src-main', 'src-renderer'].flatMap((dir) => readdirSync(dir, { recursive: true }).map((f) => `${dir}/${String(f)}`));
    expect(files.filter((f) => /(^|\/)(testing|__fixtures__|fuzz)(\/|$)|-fixture\.ts$/.test(f))).toEqual([]);
  });
});

describe('async-reads-only lint rule', () => {
  const sync = "import * as tf from '@tensorflow/tfjs-core';\nexport const f = (t: tf.Tensor) => [t.dataSync(), t.arraySync(), t.bufferSync()];\n";

  async function syncReads(path: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-properties').map((m) => m.message);
  }

  it('refuses sync tensor reads in engine and worker code, saying why', async () => {
    for (const path of ['src-main/engine/train/x.ts', 'src-main/worker/x.ts']) {
      const messages = await syncReads(path, sync);
      expect(messages, path).toHaveLength(3);
      expect(messages[0]).toMatch(/WebGPU.*return zeros/);
    }
  });

  it('lets tests read synchronously and engine code read with await', async () => {
    expect(await syncReads('src-main/engine/train/x.test.ts', sync)).toEqual([]);
    const awaited = "import * as tf from '@tensorflow/tfjs-core';\nexport const f = async (t: tf.Tensor) => [await t.data(), await t.array()];\n";
    expect(await syncReads('src-main/engine/train/x.ts', awaited)).toEqual([]);
  });
});
