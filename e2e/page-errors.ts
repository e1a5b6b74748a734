/**
 * Every uncaught page error and every console error of a watched page is a failure unless the
 * spec declared that exact message beforehand (a bad input the app reports, say). The browser
 * helper watches each page it opens, and under vitest every test of a spec that opened one ends
 * with a check, so no spec can pass with errors on its pages, whatever view it switched to.
 */
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';

/** One error seen on a page. */
export interface PageError {
  kind: 'pageerror' | 'console';
  message: string;
  /** The page's URL (without its token) and, for console messages, the source location. */
  where: string;
}

/** Collects the errors of the pages it watches. */
export class PageErrors {
  private readonly seen: (PageError & { declared: boolean })[] = [];
  private readonly expected: string[] = [];
  /** The declared messages that happened, in order. */
  private readonly hits: string[] = [];

  /** Watches a page: its uncaught errors and its console errors. */
  watch(page: Page): void {
    page.on('pageerror', (e) => this.record({ kind: 'pageerror', message: e.message, where: plainUrl(`${page.url()}\n${e.stack ?? ''}`) }));
    page.on('console', (m) => {
      if (m.type() === 'error') this.record({ kind: 'console', message: m.text(), where: consoleWhere(page, m) });
    });
  }

  /** Watches every page of a context, those it opens later included. */
  watchContext(context: BrowserContext): void {
    for (const page of context.pages()) this.watch(page);
    context.on('page', (page) => this.watch(page));
  }

  /**
   * Runs `action`, which provokes exactly these error messages (each at least once; a console
   * message must equal one in full): they are not failures, and each one missing after the
   * action (waiting up to `settleMs` for late ones) is.
   */
  async expecting<T>(messages: string[], action: () => Promise<T>, settleMs = 5_000): Promise<T> {
    const start = this.hits.length;
    this.expected.push(...messages);
    try {
      const result = await action();
      const deadline = Date.now() + settleMs;
      const missing = (): string[] => messages.filter((m) => !this.hits.slice(start).includes(m));
      while (missing().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (missing().length) throw new Error(`expected page errors that did not happen:\n${missing().join('\n')}`);
      return result;
    } finally {
      for (const m of messages) this.expected.splice(this.expected.indexOf(m), 1);
    }
  }

  /** The unexpected errors since the last take, removed from the record. */
  take(): PageError[] {
    return this.seen.splice(0).filter((e) => !e.declared).map(({ kind, message, where }) => ({ kind, message, where }));
  }

  /** Throws listing every unexpected error since the last check. */
  check(): void {
    const errors = this.take();
    if (errors.length) throw new Error(formatPageErrors(errors));
  }

  private record(e: PageError): void {
    const declared = this.expected.includes(e.message);
    if (declared) this.hits.push(e.message);
    this.seen.push({ ...e, declared });
  }
}

/** The failure message for a list of errors. */
export function formatPageErrors(errors: PageError[]): string {
  const lines = errors.map((e) => `- ${e.kind}: ${e.message}\n    at ${e.where.split('\n').slice(0, 4).join('\n    ')}`);
  return `${errors.length} unexpected page error(s):\n${lines.join('\n')}`;
}

function plainUrl(url: string): string {
  return url.replace(/([?&]token=)[0-9a-f]+/g, '$1…');
}

function consoleWhere(page: Page, m: ConsoleMessage): string {
  const { url, lineNumber } = m.location();
  return url ? `${plainUrl(url)}:${lineNumber}` : plainUrl(page.url());
}
