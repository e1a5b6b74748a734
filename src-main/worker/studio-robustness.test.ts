import { describe, expect, it, vi } from 'vitest';
import type { RobustnessReport } from '../contract/eval';
import type { EngineService } from './engine-service';
import { StudioRobustness } from './studio-robustness';
import type { StudioTraining } from './studio-training';

/** The errno the saved copy's write fails with. */
const write = vi.hoisted(() => ({ code: '' }));
vi.mock('./studio-training-records', () => ({
  writeRobustnessRecord: async () => {
    throw Object.assign(new Error(`${write.code}: cannot write`), { code: write.code });
  },
  readRobustnessRecord: async () => null,
}));

const report = { rates: {}, mean: {}, removed: {}, meta: { n: 4, split: 'test', models: 1, seeds: [1111] } } as unknown as RobustnessReport;
const engine = { evaluate: async () => report } as unknown as EngineService;
const spec = { checkpoints: ['/opt/dar/resources/demo/model.safetensors'], dataset: '/opt/dar/resources/demo', split: 'test' as const };

describe('a sweep whose checkpoint sits in a read-only folder', () => {
  it('still answers with the sweep when the folder refuses the saved copy (the demo model of an installed app)', async () => {
    const robustness = new StudioRobustness(engine, {} as StudioTraining);
    for (const code of ['EROFS', 'EACCES', 'EPERM']) {
      write.code = code;
      await expect(robustness.sweep(spec)).resolves.toMatchObject({ checkpoints: spec.checkpoints, report });
    }
  });

  it('fails on any other write error (a full disk is not a read-only install)', async () => {
    write.code = 'ENOSPC';
    await expect(new StudioRobustness(engine, {} as StudioTraining).sweep(spec)).rejects.toThrow(/ENOSPC/);
  });
});
