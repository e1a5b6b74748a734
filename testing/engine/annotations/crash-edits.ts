/** The edit number k of the crash test makes, so the test can check it from k alone. */
export interface CrashEdit {
  clipId: string;
  what: 'label' | 'tag' | 'notes';
  value: string | number;
}

/** Labels, tags (17 clips share them) and notes in turn, each value unique to k. */
export function editFor(k: number): CrashEdit {
  if (k % 3 === 0) return { clipId: `label${k}$_$${k}`, what: 'label', value: ((k % 61) - 30) / 10 };
  if (k % 3 === 1) return { clipId: `tags$_$${k % 17}`, what: 'tag', value: `t${k}` };
  return { clipId: `notes${k}$_$${k}`, what: 'notes', value: `note ${k}: "quoted", ünïcode` };
}
