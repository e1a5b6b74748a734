import type { Result } from './errors';

/** What the shell reports about itself. */
export interface AppInfo {
  name: string;
  version: string;
  /** Which shell serves the contract. */
  shell: 'electron' | 'browser';
}

/**
 * The API the studio calls, identical in every shell (Electron preload, browser host).
 * One method per operation; every result is a Result so errors cross as data.
 */
export interface StudioApi {
  getAppInfo(): Promise<Result<AppInfo>>;
}

/** The IPC channel of each contract method (Electron shell). */
export type StudioChannel = `studio:${keyof StudioApi}`;
