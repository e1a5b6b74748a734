/**
 * Child process of the crash test: writes annotation edits in a tight loop, printing
 * "<edit id> <k>" after each commit, until it is killed. With `import`, it instead prints
 * "importing", runs one large import, then prints "imported <edit id>".
 * Usage: node --import tsx crash-writer.ts <file> edits <first k> | import <clips>
 */
import { AnnotationStore } from '../../../src-main/engine/annotations/annotation-store';
import { editFor } from './crash-edits';

const [file, mode, arg] = process.argv.slice(2);
const store = AnnotationStore.open(file);
// A line is printed only after its commit returned: whatever the parent read was committed.
const say = (line: string): void => void process.stdout.write(`${line}\n`);

if (mode === 'import') {
  const clips = Array.from({ length: Number(arg) }, (_, i) => ({ clipId: `bulk${i}$_$${i}`, label: 1, tags: ['bulk'], notes: `bulk ${i}` }));
  const text = JSON.stringify({ format: 'dar-annotations', version: 1, dataset: 'default', clips });
  say('importing');
  const report = store.importJson(text);
  say(`imported ${report.edit?.id}`);
  setInterval(() => undefined, 1000); // wait for the kill, whenever it comes
} else {
  for (let k = Number(arg); ; k++) {
    const e = editFor(k);
    const out =
      e.what === 'label' ? store.setLabel(e.clipId, e.value as number)
      : e.what === 'tag' ? store.addTag(e.clipId, e.value as string)
      : store.setNotes(e.clipId, e.value as string);
    say(`${out.edit?.id} ${k}`);
  }
}
