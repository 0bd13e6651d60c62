import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import { type TenantConfig, tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import type { AiAnalysis } from '../../../src/events/ai-analysis.js';
import type { RawCall, SourceKind } from '../../../src/events/raw-call.js';

/**
 * One labelled case of test/fixtures/analysis or test/fixtures/analysis-field (their READMEs describe the
 * format and the labels).
 */
export interface LabelledCase {
  id: string;
  file: string;
  /**
   * Never tuned on: in test/fixtures/analysis the odd positions of each file, in the field set the
   * *-heldout-*.json files, the whole blind3 set; the fresh, blind and blind2 sets have none (each is dev
   * since it was scored blind once).
   */
  heldOut: boolean;
  call: RawCall;
  tenant: TenantConfig;
  expected: Omit<AiAnalysis, 'score_reasons' | 'analyzer'>;
}

interface CaseFile {
  id: string;
  source_kind?: SourceKind;
  /** Lines; a single string is a transcript on one line (the fresh set writes inline calls so). */
  transcript?: string[] | string;
  form_fields?: Record<string, string>;
  answered?: boolean;
  voicemail?: boolean;
  duration_seconds?: number;
  customer_name?: string;
  customer_phone?: string;
  customer_email?: string;
  start_time?: string;
  analysis?: unknown;
  expected: LabelledCase['expected'];
}

export const FIXTURE_DIRECTORY = new URL('../../fixtures/analysis/', import.meta.url).pathname;
/** The set written and labelled apart from the rules (issue #15); its held-out files are frozen. */
export const FIELD_DIRECTORY = new URL('../../fixtures/analysis-field/', import.meta.url).pathname;
export const FIELD_HELD_OUT_FILE = /-heldout-[^/]*\.json$/;
/**
 * A second blind set, written after the field set had been scored many times; scored blind once (at
 * e3d4a29) and dev from then on, for tuning. Its files stay frozen all the same.
 */
export const FRESH_DIRECTORY = new URL('../../fixtures/analysis-fresh/', import.meta.url).pathname;
export const FRESH_FILE = /^c-fresh-[^/]*\.json$/;
/**
 * The third blind set, written from the labelling guide alone while the fresh set became dev; scored
 * blind once (at ce13452) and dev from then on, for tuning. Its files stay frozen all the same.
 */
export const BLIND_DIRECTORY = new URL('../../fixtures/analysis-blind/', import.meta.url).pathname;
export const BLIND_FILE = /^d-blind-[^/]*\.json$/;
/**
 * A fourth blind set, written while the blind set above was being scored; scored blind once (at 9c47a1e)
 * and dev from then on, for tuning and for training the intent model. Its files stay frozen all the same.
 */
export const BLIND2_DIRECTORY = new URL('../../fixtures/analysis-blind2/', import.meta.url).pathname;
export const BLIND2_FILE = /^e-blind2-[^/]*\.json$/;
/**
 * Sets written from the labelling READMEs alone to train the intent model on: dev from the start, never
 * a held-out measure (test/fixtures/analysis-train1/README.md and its siblings).
 */
export const TRAIN_SETS = ['train1', 'train2', 'train3'] as const;
export type TrainSet = (typeof TRAIN_SETS)[number];
export const trainDirectory = (set: TrainSet) =>
  new URL(`../../fixtures/analysis-${set}/`, import.meta.url).pathname;
export const TRAIN_FILE = /^t\d-[^/]*\.json$/;
/**
 * A fifth blind set, written from the labelling READMEs alone while the second blind set became dev: all
 * of it held out and frozen, scored only in aggregate (test/fixtures/analysis-blind3/README.md).
 */
export const BLIND3_DIRECTORY = new URL('../../fixtures/analysis-blind3/', import.meta.url).pathname;
export const BLIND3_FILE = /^f-blind3-[^/]*\.json$/;
const DEFAULT_START = '2026-04-15T16:00:00Z';

export function tenantWith(analysis: unknown = {}): TenantConfig {
  return tenantConfigSchema.parse({
    tenant_id: 'tenant_eval',
    analysis,
    crm_config: { type: 'hubspot', api_token: 'unused', field_mappings: { phone: 'customer_phone' } },
  });
}

export function callFrom(fixture: Partial<CaseFile> & { id: string }): RawCall {
  const kind = fixture.source_kind ?? 'callrail_call';
  const isCall = kind === 'callrail_call';
  const start = Date.parse(fixture.start_time ?? DEFAULT_START);
  return {
    call_id: fixture.id,
    tenant_id: 'tenant_eval',
    source_kind: kind,
    source_name: null,
    callrail_event: null,
    callrail_company_id: null,
    customer_phone: fixture.customer_phone ?? null,
    customer_name: fixture.customer_name ?? null,
    customer_email: fixture.customer_email ?? null,
    customer_city: null,
    customer_state: null,
    duration_seconds: isCall ? (fixture.duration_seconds ?? 120) : null,
    answered: isCall ? (fixture.answered ?? true) : null,
    voicemail: isCall ? (fixture.voicemail ?? false) : null,
    recording_url: null,
    transcription: transcriptOf(fixture.transcript),
    source: null,
    tracking_number: null,
    start_time: start,
    form_fields: fixture.form_fields ?? {},
    marketing: {},
    received_at: start,
  };
}

/** Made on first use: the eval script and the benches load cases here with analyzers of their own. */
let analyzer: EmbeddedAnalyzer | undefined;

/** The embedded analyzer's answer for a transcript, with other call fields and a tenant's analysis block. */
export function analyse(
  transcript: string[],
  extra: Parameters<typeof callFrom>[0] | object = {},
  analysis: unknown = {},
): AiAnalysis {
  analyzer ??= new EmbeddedAnalyzer();
  return analyzer.analyzeNow(callFrom({ id: 'case', transcript, ...extra }), tenantWith(analysis));
}

function transcriptOf(transcript: string[] | string | undefined): string | null {
  if (transcript === undefined) return null;
  return typeof transcript === 'string' ? transcript : transcript.join('\n');
}

function casesIn(
  directory: string,
  heldOut: (file: string, index: number) => boolean,
  files: (file: string) => boolean = () => true,
): LabelledCase[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json') && files(name))
    .sort()
    .flatMap((file) =>
      (JSON.parse(readFileSync(join(directory, file), 'utf8')) as CaseFile[]).map((fixture, index) => ({
        id: fixture.id,
        file,
        heldOut: heldOut(file, index),
        call: callFrom(fixture),
        tenant: tenantWith(fixture.analysis ?? {}),
        expected: fixture.expected,
      })),
    );
}

/** The original set: odd positions in each file are held out. */
export function loadLabelledCases(directory = FIXTURE_DIRECTORY): LabelledCase[] {
  return casesIn(directory, (_file, index) => index % 2 === 1);
}

/**
 * The field set, held out by file name. `dev` reads only the dev files, so whatever looks at cases one
 * by one (failure lists, tests) never parses a held-out one; `all` is for the aggregate scores.
 */
export function loadFieldCases(split: 'dev' | 'all', directory = FIELD_DIRECTORY): LabelledCase[] {
  const isHeldOut = (file: string) => FIELD_HELD_OUT_FILE.test(file);
  return casesIn(directory, isHeldOut, (file) => split === 'all' || !isHeldOut(file));
}

/** A set read whole: its files matching `files`, every case dev or every case held out. */
function wholeSet(directory: string, files: RegExp, heldOut: boolean): LabelledCase[] {
  return casesIn(
    directory,
    () => heldOut,
    (file) => files.test(file),
  );
}

/** The fresh set: every case dev, since its one blind scoring (test/fixtures/analysis-fresh/README.md). */
export function loadFreshCases(directory = FRESH_DIRECTORY): LabelledCase[] {
  return wholeSet(directory, FRESH_FILE, false);
}

/** The blind set: every case dev, since its one blind scoring (test/fixtures/analysis-blind/README.md). */
export function loadBlindCases(directory = BLIND_DIRECTORY): LabelledCase[] {
  return wholeSet(directory, BLIND_FILE, false);
}

/** The second blind set: every case dev, since its one blind scoring (test/fixtures/analysis-blind2/README.md). */
export function loadBlind2Cases(directory = BLIND2_DIRECTORY): LabelledCase[] {
  return wholeSet(directory, BLIND2_FILE, false);
}

/** The training sets: every case dev. */
export function loadTrainCases(sets: readonly TrainSet[] = TRAIN_SETS): LabelledCase[] {
  return sets.flatMap((set) => wholeSet(trainDirectory(set), TRAIN_FILE, false));
}

/** The blind3 set: every case held out, for the aggregate scores only. */
export function loadBlind3Cases(directory = BLIND3_DIRECTORY): LabelledCase[] {
  return wholeSet(directory, BLIND3_FILE, true);
}
