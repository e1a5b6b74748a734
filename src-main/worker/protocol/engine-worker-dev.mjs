// Entry of the engine worker when running from the TypeScript sources (CLI, browser host,
// tests): registers tsx in this thread, then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
