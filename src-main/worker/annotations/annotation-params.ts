/**
 * Guards for the annotation methods' parameters. They come from a page, so the shape is checked
 * here (ARG_INVALID naming the field); the values themselves (label range, tag characters, probe
 * names) are the store's to judge, which answers ANNOTATIONS_INVALID.
 */
import type { StudioAnnotationEdit, StudioAnnotationMethods } from '#contract/annotations';
import { DarError } from '../../engine/errors';
import { object, workbenchMasks } from '../params';

/** Largest import text accepted (characters); the browser host's socket caps requests lower still. */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;

type Obj = Record<string, unknown>;
type ExportFormat = StudioAnnotationMethods['exportAnnotations'][0]['format'];

const FORMATS: readonly ExportFormat[] = ['csv', 'json'];
const EDIT_KINDS: readonly StudioAnnotationEdit['kind'][] = ['setLabel', 'addTag', 'removeTag', 'setNotes', 'saveProbe', 'deleteProbe'];

function bad(field: string, expected: string, got: unknown): never {
  const shown = typeof got === 'string' ? JSON.stringify(got.slice(0, 80)) : (JSON.stringify(got) ?? String(got));
  throw new DarError('ARG_INVALID', `${field}: expected ${expected}, got ${shown.slice(0, 120)}`);
}

function text(o: Obj, key: string, field: string): string {
  const v = o[key];
  if (typeof v !== 'string') bad(field, 'a string', v);
  return v;
}

function format(o: Obj): ExportFormat {
  if (!FORMATS.includes(o.format as ExportFormat)) bad('format', FORMATS.join(' | '), o.format);
  return o.format as ExportFormat;
}

/** editAnnotation's `edit`: one of the six kinds with fields of the right types. */
export function annotationEdit(value: unknown): StudioAnnotationEdit {
  const o = object(value, 'edit');
  const kind = o.kind as StudioAnnotationEdit['kind'];
  if (!EDIT_KINDS.includes(kind)) bad('edit.kind', EDIT_KINDS.join(' | '), o.kind);
  switch (kind) {
    case 'setLabel': {
      const label = o.label;
      if (label !== null && typeof label !== 'number') bad('edit.label', 'a number in [-3, 3] or null', label);
      return { kind, label };
    }
    case 'addTag':
    case 'removeTag':
      return { kind, tag: text(o, 'tag', 'edit.tag') };
    case 'setNotes':
      return { kind, notes: text(o, 'notes', 'edit.notes') };
    case 'saveProbe':
      return { kind, name: text(o, 'name', 'edit.name'), masks: workbenchMasks(o.masks) };
    case 'deleteProbe':
      return { kind, name: text(o, 'name', 'edit.name') };
  }
}

/** exportAnnotations's params. */
export function exportParams(value: unknown): StudioAnnotationMethods['exportAnnotations'][0] {
  return { format: format(object(value)) };
}

/** importAnnotations's params. */
export function importParams(value: unknown): StudioAnnotationMethods['importAnnotations'][0] {
  const o = object(value);
  const body = text(o, 'text', 'text');
  if (body.length > MAX_IMPORT_CHARS) bad('text', `at most ${MAX_IMPORT_CHARS} characters`, `${body.length} characters`);
  if (o.replace !== undefined && typeof o.replace !== 'boolean') bad('replace', 'a boolean', o.replace);
  return { text: body, format: format(o), replace: o.replace === true };
}
