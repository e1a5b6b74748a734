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

  it('lets the renderer import contract types', async () => {
    const messages = await lint('src-renderer/src/x.ts', "import type { Dataset } from '../../src-main/contract/dataset';\nexport type D = Dataset;\n");
    expect(messages).toEqual([]);
  });
});
