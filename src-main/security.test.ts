import { describe, expect, it } from 'vitest';
import type { Finding } from '../scripts/electronegativity';
import { cspFindings, csvFields, EXEMPTIONS, gate, parseReport, scan } from '../scripts/electronegativity';
import { APP_CSP } from './app/app-csp';

// electronegativity's CSV, as it writes it (header, then quoted fields that may hold commas).
const REPORT = `issue, severity, confidence, filename, location, sample, description, url
AUXCLICK_JS_CHECK,"MEDIUM","FIRM","app/window.ts","9:14","const win = new BrowserWindow({","Limit navigation flows to untrusted origins. Middle-click may cause Electron to open a link within a new window",https://github.com/doyensec/electronegativity/wiki/AUXCLICK_JS_CHECK
PRELOAD_JS_CHECK,"MEDIUM","FIRM","app/window.ts","15:6","preload: join(here, '../preload/index.cjs'),","Review the use of preload scripts",https://github.com/doyensec/electronegativity/wiki/PRELOAD_JS_CHECK
CSP_GLOBAL_CHECK,"LOW","TENTATIVE","app/security.ts","51:15",N/A,"Failed to parse CSP, it may not be valid.",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK
AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK,"INFORMATIONAL","CERTAIN","package.json","0:0",N/A,"Security fixes are available",https://git.io/Jeu1X
`;

function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.check}@${f.file}`);
}

describe('electronegativity gate', () => {
  it('reads quoted CSV fields with commas and doubled quotes', () => {
    expect(csvFields('A,"b, c","say ""hi""",d')).toEqual(['A', 'b, c', 'say "hi"', 'd']);
  });

  it('blocks findings above informational unless a narrow, reviewed exemption covers them', () => {
    const findings = parseReport(REPORT);
    expect(findings).toHaveLength(4);
    expect(findings[0]).toMatchObject({ check: 'AUXCLICK_JS_CHECK', severity: 'MEDIUM', file: 'app/window.ts', location: '9:14' });
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
  });
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
