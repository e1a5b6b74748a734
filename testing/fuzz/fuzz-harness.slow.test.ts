import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz-harness';

describe('the fuzz harness', () => {
  it('fails a run whose case hangs, naming the case, and kills the child', async () => {
    const report = await runFuzz('self-test-hang', { cases: 3, caseTimeoutMs: 2000 });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatch(/^self-test-hang case 0 x: .*no result after 2000 ms \(hang\)/);
    expect(report.cases).toBe(0);
  });

  it('fails a run whose child process dies', async () => {
    const report = await runFuzz('self-test-crash', { cases: 2 });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatch(/case 0 x: .*the process died .*SIGSEGV/);
  });

  it('fails a case that throws anything but a DarError, or a DarError with a code not allowed there', async () => {
    const thrown = await runFuzz('self-test-throw', { cases: 2 });
    expect(thrown.failures).toHaveLength(2);
    expect(thrown.failures[0]).toMatch(/case 0 x: .*misbehaving RangeError/);
    expect(thrown.outcomes).toEqual({ BAD: 2 });
    const coded = await runFuzz('self-test-code', { cases: 1 });
    expect(coded.failures[0]).toMatch(/code INTERNAL not expected here/);
  });
});
