#!/usr/bin/env node
// The `dar` CLI runs straight from the TypeScript sources through tsx, so `npx dar` works
// right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
