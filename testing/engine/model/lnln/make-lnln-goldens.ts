/**
 * Regenerates lnln-goldens.json from scripts/reference/lnln_torch.py (needs /usr/bin/python3 with
 * torch): `npx tsx testing/engine/model/lnln/make-lnln-goldens.ts`. Rerun after a deliberate
 * change to the fixture, the tiny config or the reference script.
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GOLDENS, fixture, packFloats, request, requestSum, runReference } from './lnln-reference';
import type { Goldens } from './lnln-reference';

await tf.setBackend('cpu');
const { model, batches } = fixture();
const req = await request(model, batches);
const reference = runReference(req);
const answers = reference.answers.map((a) => ({
  ...a,
  grads: a.grads ? Object.fromEntries(Object.entries(a.grads).map(([k, g]) => [k, packFloats(g)])) : undefined,
}));
const goldens: Goldens = { requestSum: requestSum(req), answers, trained: reference.trained };
writeFileSync(GOLDENS, JSON.stringify(goldens) + '\n');
model.dispose();
console.log(`wrote ${GOLDENS}`);
