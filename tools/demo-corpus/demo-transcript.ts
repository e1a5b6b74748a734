/**
 * The demo corpus's transcripts: short movie-review utterances from a small template grammar.
 * The wording follows what the speaker's words are meant to convey (a sentiment score on the
 * label scale): its sign picks positive/negative/neutral words, its size the intensity, so a
 * reader of the transcript can tell roughly what the label is, as in CMU-MOSI.
 */
import type { Rng } from '../../src-main/engine/rng';

/** Sentiment classes the grammar distinguishes, from the score's sign and size. */
export type Polarity = 'strongNeg' | 'neg' | 'neutral' | 'pos' | 'strongPos';

const SUBJECTS = [
  'the movie', 'the plot', 'the acting', 'the ending', 'the music', 'the main character',
  'this film', 'the dialogue', 'the story', 'the camera work', 'the cast', 'the script',
];
const ADJECTIVES: Record<Polarity, string[]> = {
  strongNeg: ['terrible', 'awful', 'horrible', 'painful', 'a disaster'],
  neg: ['boring', 'slow', 'weak', 'dull', 'messy'],
  neutral: ['okay', 'fine', 'alright', 'average', 'mediocre'],
  pos: ['good', 'nice', 'fun', 'decent', 'solid'],
  strongPos: ['amazing', 'brilliant', 'wonderful', 'fantastic', 'beautiful'],
};
const INTENSIFIERS: Record<Polarity, string[]> = {
  strongNeg: ['really', 'absolutely', 'just', 'so'],
  neg: ['kind of', 'a bit', 'pretty', 'rather'],
  neutral: ['just', 'mostly', 'sort of'],
  pos: ['pretty', 'fairly', 'quite', 'kind of'],
  strongPos: ['really', 'absolutely', 'so', 'truly'],
};
const VERBS: Record<Polarity, string[]> = {
  strongNeg: ['hated', 'could not stand', 'regret watching'],
  neg: ['did not like', 'was disappointed by', 'did not enjoy'],
  neutral: ['have mixed feelings about', 'do not know what to think of', 'did not mind'],
  pos: ['liked', 'enjoyed', 'did like'],
  strongPos: ['loved', 'adored', 'was blown away by'],
};
const FILLERS = ['um', 'uh', 'you know', 'i mean', 'well', 'so', 'honestly', 'basically', 'like'];
const FILLER_WORDS = new Set(FILLERS.flatMap((f) => f.split(' ')));
const CLOSERS: Record<Polarity, string[]> = {
  strongNeg: ['do not waste your time', 'what a waste', 'i want my money back'],
  neg: ['i expected more', 'it could have been better', 'not my thing'],
  neutral: ['i guess', 'it is what it is', 'nothing special'],
  pos: ['i would recommend it', 'worth a look', 'i had a good time'],
  strongPos: ['go see it', 'best thing this year', 'i would watch it again'],
};

/** The phrases that carry a polarity (adjectives, verbs, closing remarks). */
export function polarPhrases(p: Polarity): string[] {
  return [...ADJECTIVES[p], ...VERBS[p], ...CLOSERS[p]];
}

/** The grammar's class for a score on the label scale [-3, 3]. */
export function polarityOf(score: number): Polarity {
  if (score <= -1.8) return 'strongNeg';
  if (score <= -0.6) return 'neg';
  if (score < 0.6) return 'neutral';
  if (score < 1.8) return 'pos';
  return 'strongPos';
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

/** Clause maker that avoids saying the same subject or closing phrase twice in one utterance. */
function clauseMaker(rng: Rng): (p: Polarity) => string[] {
  const used = new Set<string>();
  const fresh = (list: readonly string[]): string => {
    const left = list.filter((x) => !used.has(x));
    const choice = pick(rng, left.length > 0 ? left : list);
    used.add(choice);
    return choice;
  };
  return (p) => {
    const form = rng.int(4);
    if (form === 3) return fresh(CLOSERS[p]).split(' ');
    const subject = fresh(SUBJECTS);
    const adjective = pick(rng, ADJECTIVES[p]);
    const text =
      form === 0 ? `${subject} was ${pick(rng, INTENSIFIERS[p])} ${adjective}`
      : form === 1 ? `i ${pick(rng, VERBS[p])} ${subject}`
      : `${subject} was ${adjective}`;
    return text.split(' ');
  };
}

/** The other side of a "but" clause: milder and of the opposite sign, so the main clause wins. */
function concession(p: Polarity): Polarity {
  if (p === 'strongPos' || p === 'pos') return 'neg';
  if (p === 'strongNeg' || p === 'neg') return 'pos';
  return 'neutral';
}

/** A one-word filler, or a longer one when there is room, never the word just said. */
function filler(rng: Rng, room: number, last: string | undefined): string[] {
  for (;;) {
    const f = pick(rng, FILLERS).split(' ');
    if (f.length <= room && f[0] !== last) return f;
  }
}

/** Appends one of up to three drawn clauses that fits in `room` ("and" unless after a filler). */
function addClause(words: string[], room: number, draw: () => string[]): boolean {
  const joiner = FILLER_WORDS.has(words[words.length - 1]) ? [] : ['and'];
  for (let attempt = 0; attempt < 3; attempt++) {
    const more = [...joiner, ...draw()];
    if (more.length <= room) {
      words.push(...more);
      return true;
    }
  }
  return false;
}

/**
 * An utterance of about `nWords` words (lower case, no punctuation) whose wording follows
 * `score`: a clause of the score's polarity (sometimes after a concession, "x but y"), then
 * more clauses and a few fillers up to the length, the way spoken opinions ramble. Only a
 * first clause longer than `nWords` makes it longer.
 */
export function makeTranscript(rng: Rng, score: number, nWords: number): string[] {
  const p = polarityOf(score);
  const clause = clauseMaker(rng);
  let words = clause(p);
  if (rng.next() < 0.3) {
    const mixed = [...clause(concession(p)), 'but', ...clause(p)];
    if (mixed.length <= nWords) words = mixed;
  }
  let opened = false;
  while (words.length < nWords) {
    const room = nWords - words.length;
    if (room >= 3 && rng.next() < 0.75 && addClause(words, room, () => clause(p))) continue;
    // At most one filler opens the utterance; the others trail or join clauses.
    if (!opened && rng.next() < 0.3) {
      opened = true;
      words = [...filler(rng, 1, undefined), ...words];
    } else {
      words.push(...filler(rng, room, words[words.length - 1]));
    }
  }
  return words;
}
