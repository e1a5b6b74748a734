/** The real extractors (branches acoustic, visual, bert), wired once they land. */
import { DarError } from '../errors';
import type { Extractors } from './extractor-types';

/** The extractors `dar extract` and the studio use. */
export async function defaultExtractors(): Promise<Extractors> {
  throw new DarError('INTERNAL', 'the feature extractors are not part of this build yet');
}
