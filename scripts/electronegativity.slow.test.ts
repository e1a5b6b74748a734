import { describe, expect, it } from 'vitest';
import type { Finding, RunnerIssue } from './electronegativity';
import { cspFindings, EXEMPTIONS, gate, scan, toFinding } from './electronegativity';
import { APP_CSP } from '../src-main/app/app-csp';

// Issues as electronegativity's runner returns them (the fields the gate reads).
const issue = (id: string, severity: string, file: string, line: number, description: string): RunnerIssue => ({ id, severity: { name: severity }, confidence: { name: 'FIRM' }, file, location: { line, column: 4 }, sample: null, description });
const ISSUES: RunnerIssue[] = [
  issue('AUXCLICK_JS_CHECK', 'MEDIUM', 'app/window.ts', 9, 'Limit navigation flows to untrusted origins. Middle-click may cause Electron to open a link within a new window'),
  issue('PRELOAD_JS_CHECK', 'MEDIUM', 'app/window.ts', 15, 'Review the use of preload scripts'),
  issue('CSP_GLOBAL_CHECK', 'LOW', 'app/security.ts', 51, 'Failed to parse CSP, it may not be valid.'),
  issue('AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK', 'INFORMATIONAL', 'package.json', 0, 'Security fixes are available'),
];

function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.check}@${f.file}`);
}

describe('electronegativity gate', () => {
  it('blocks findings above informational unless a narrow, reviewed exemption covers them', () => {
    const findings = ISSUES.map(toFinding);
    expect(findings[0]).toMatchObject({ check: 'AUXCLICK_JS_CHECK', severity: 'MEDIUM', file: 'app/window.ts', location: '9:4', sample: '' });
    const { blocking, passed } = gate(findings);
    expect(ids(blocking)).toEqual(['AUXCLICK_JS_CHECK@app/window.ts']);
    expect(ids(passed)).toEqual(['PRELOAD_JS_CHECK@app/window.ts', 'CSP_GLOBAL_CHECK@app/security.ts', 'AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK@package.json']);
  });

  it('does not let an exemption cover another wording of the same check', () => {
    const weak: Finding = { check: 'CSP_GLOBAL_CHECK', severity: 'LOW', confidence: 'FIRM', file: 'app/security.ts', location: '1:1', sample: '', description: 'One or more CSP directives detected seems to be vulnerable' };
    expect(gate([weak], EXEMPTIONS).blocking).toEqual([weak]);
  });

  it('finds nothing above INFORMATIONAL in src-main/app, src-main/preload and src-renderer', () => {
    const { blocking } = gate(scan());
    const lines = blocking.map((f) => `${f.check} ${f.severity} ${f.file}:${f.location} ${f.description}`);
    expect(lines).toEqual([]);
  }, 40_000);
});

describe('the Electron page policy', () => {
  it("flags a script-src of 'self' (what the file:// page had) and finds nothing in APP_CSP", () => {
    const weak = cspFindings("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'", 'x.html');
    expect(weak).toHaveLength(1);
    expect(gate(weak).blocking).toHaveLength(1);
    expect(cspFindings(APP_CSP, 'app/app-csp.ts')).toEqual([]);
  });

  it('names no source but the app origin for scripts, and no file: anywhere', () => {
    expect(APP_CSP).toMatch(/(^|; )script-src app:\/\/studio(;|$)/);
    expect(APP_CSP).toMatch(/(^|; )default-src 'none'(;|$)/);
    expect(APP_CSP).not.toMatch(/'self'|file:|unsafe-eval/);
  });
});
