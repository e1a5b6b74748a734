// Entry of the import thread when running from the TypeScript sources (CLI, browser host,
// tests): registers tsx in this thread, then loads it.
import { register } from 'tsx/esm/api';

register();
await import('./extract-thread.ts');
