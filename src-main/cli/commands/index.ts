import type { Command } from '../command';
import { demoDataCommand } from './demo-data';
import { demoModelCommand } from './demo-model';
import { evalCommand } from './evaluate';
import { extractCommand } from './extract';
import { inspectCommand } from './inspect';
import { metricsCommand } from './metrics';
import { predictCommand } from './predict';
import { serveCommand } from './serve';
import { trainCommand } from './train';

/** Every `dar` command, in the order `dar --help` lists them. */
export const commands: readonly Command[] = [inspectCommand, extractCommand, metricsCommand, trainCommand, evalCommand, predictCommand, demoDataCommand, demoModelCommand, serveCommand];
