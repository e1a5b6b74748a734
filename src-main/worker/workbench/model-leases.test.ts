import { describe, expect, it, vi } from 'vitest';
import type { DarModel } from '../../engine/model/dar-model';
import { ModelLeases } from './model-leases';

const fakeModel = (): DarModel & { dispose: ReturnType<typeof vi.fn> } => ({ dispose: vi.fn() }) as unknown as DarModel & { dispose: ReturnType<typeof vi.fn> };

describe('ModelLeases', () => {
  it('frees a retired model only after the work reading it has finished', async () => {
    const leases = new ModelLeases();
    const model = fakeModel();
    let finish!: () => void;
    const work = leases.use(model, () => new Promise<string>((r) => (finish = () => r('done'))));
    leases.retire(model);
    expect(model.dispose).not.toHaveBeenCalled();
    finish();
    expect(await work).toBe('done');
    expect(model.dispose).toHaveBeenCalledTimes(1);
  });

  it('frees an unused model at once and refuses new work on it with a coded error', async () => {
    const leases = new ModelLeases();
    const model = fakeModel();
    leases.retire(model);
    expect(model.dispose).toHaveBeenCalledTimes(1);
    await expect(leases.use(model, async () => 1)).rejects.toMatchObject({ code: 'ARG_INVALID' });
    leases.retire(model);
    expect(model.dispose).toHaveBeenCalledTimes(1);
  });

  it('frees the model after a failed use too', async () => {
    const leases = new ModelLeases();
    const model = fakeModel();
    const work = leases.use(model, async () => {
      throw new Error('boom');
    });
    leases.retire(model);
    await expect(work).rejects.toThrow('boom');
    expect(model.dispose).toHaveBeenCalledTimes(1);
  });
});
