import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepTraceBuilder } from './training/step-trace';
import { besideCheckpoint, folderName, newRunPath, studioHome } from './studio-home';
import { useTempDir } from '../../testing/temp-dir';

describe('studio paths', () => {
  const root = useTempDir('dar-paths-');

  it('takes the home from DAR_STUDIO_HOME, else the shell, else ~/.dar-studio', () => {
    expect(studioHome({ studioHome: '/u/data' }, { DAR_STUDIO_HOME: '/tmp/h' })).toBe('/tmp/h');
    expect(studioHome({ studioHome: '/u/data' }, {})).toBe('/u/data');
    expect(studioHome({}, { DAR_STUDIO_HOME: '  ' })).toBe(join(homedir(), '.dar-studio'));
  });

  it('makes safe folder names and a fresh run path per dataset', () => {
    expect(folderName('DAR demo corpus (synthetic)')).toBe('DAR_demo_corpus_synthetic');
    expect(folderName('../../etc')).toBe('etc');
    expect(folderName('???')).toBe('dataset');
    const date = new Date(2024, 0, 2, 3, 4, 5);
    const first = newRunPath(root, 'mosi.pkl', 'demo', date);
    expect(first).toBe(join(root, 'mosi.pkl', '2024-01-02T03-04-05-demo.safetensors'));
    mkdirSync(dirname(first), { recursive: true });
    writeFileSync(first, '');
    expect(newRunPath(root, 'mosi.pkl', 'demo', date)).toBe(join(root, 'mosi.pkl', '2024-01-02T03-04-05-demo-2.safetensors'));
    expect(besideCheckpoint(first, 'robustness')).toBe(join(root, 'mosi.pkl', '2024-01-02T03-04-05-demo.robustness.json'));
  });
});

describe('StepTraceBuilder', () => {
  it('keeps every step as it grows past its first buffer, and snapshots copies', () => {
    const b = new StepTraceBuilder();
    const terms = { task: 1, sim: 2, diff: 3, re: 4, recon: 5, total: 6, sel: 7, club: 8 };
    for (let i = 0; i < 600; i++) b.push(i / 10, { ...terms, total: i });
    const s = b.snapshot();
    expect(s.x).toHaveLength(600);
    expect(s.terms.total[599]).toBe(599);
    expect(s.terms.club[300]).toBe(8);
    s.x[0] = 99;
    expect(b.snapshot().x[0]).toBe(0);
  });
});
