/**
 * Flags that several commands share, declared once so their spelling, type and help line stay
 * the same everywhere; each command's table picks the ones it takes.
 */
import type { BackendName } from '#contract/worker-protocol';
import type { FlagSpec } from './args';

const BACKENDS = ['auto', 'webgpu', 'gpu', 'native', 'wasm', 'cpu'] as const;

/** `--json`: machine-readable output. */
export const JSON_FLAG = { type: 'boolean', help: 'print JSON instead of a table' } as const satisfies FlagSpec;

/** `--backend`: which compute backend the engine uses. */
export const BACKEND_FLAG = { type: 'enum', values: BACKENDS, help: 'compute backend [auto: the fastest that works]' } as const satisfies FlagSpec;

/** `--data`: a dataset. */
export const DATA_FLAG = { type: 'string', value: '<file|folder>', help: 'dataset: an MMSA pickle or a clip folder' } as const satisfies FlagSpec;

/** `--split`: which split to run on. */
export const SPLIT_FLAG = { type: 'enum', values: ['train', 'valid', 'test'], help: 'split to use [test]' } as const satisfies FlagSpec;

/** The engine backend a validated --backend value asks for; undefined lets the engine choose. */
export function backendChoice(value: (typeof BACKENDS)[number] | undefined): BackendName | undefined {
  return value === undefined || value === 'auto' ? undefined : value;
}
