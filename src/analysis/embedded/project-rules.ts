import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { ProjectType } from '../../events/ai-analysis.js';
import { type CallerSentence, wordAt } from './call-reading.js';
import { type PhraseHit, PhraseMatcher } from './phrase-matcher.js';
import { gateWordsIn, mayMatch, opensBySentence, type WordGate, wordGate } from './word-gate.js';

type StandardType = 'kitchen' | 'bathroom' | 'whole_home' | 'addition';

/** A tenant's keyword is as strong as the trade's strongest word: the tenant said it names the type. */
const TENANT_KEYWORD_WEIGHT = 3;
const WHOLE_HOME_AT = 4;
const ADDITION_AT = 4;

const compiled = new WeakMap<object, PhraseMatcher<string> | undefined>();

/** The tenant's own project types, compiled once per configuration object. */
export function tenantProjectMatcher(
  tenant: Pick<TenantConfig, 'analysis'>,
): PhraseMatcher<string> | undefined {
  const types = tenant.analysis.project_types;
  if (!types || types.length === 0) return undefined;
  if (!compiled.has(types)) {
    compiled.set(
      types,
      new PhraseMatcher(
        types.map(
          ({ name, keywords }) =>
            [name, keywords.map((keyword) => [keyword, TENANT_KEYWORD_WEIGHT] as const)] as const,
        ),
      ),
    );
  }
  return compiled.get(types);
}

/**
 * A new room built onto the house, in whatever words: something added, built or converted into a room
 * ("add a 2-car garage with a bonus room above", "turn the garage into a bedroom suite", "hacer un cuarto
 * más"). A room only redone ("redo the bedroom") is not built.
 */
const BUILDS_A_ROOM =
  /\b(?:add|adding|build|building|built|turn|turning|convert|converting|bump out|bumping out|extend|extending|construir|agregar|hacer)\b(?: [\w'-]+){0,5}? (?:room|rooms|suite|bedroom|bedrooms|studio|office|offices|story|storey|level|wing|cuarto|recamara)\b/;
const BUILDS_A_ROOM_NEEDS = wordGate([
  [
    [
      'add',
      'adding',
      'build',
      'building',
      'built',
      'turn',
      'turning',
      'convert',
      'converting',
      'bump',
      'bumping',
      'extend',
      'extending',
      'construir',
      'agregar',
      'hacer',
    ],
    [
      'room',
      'rooms',
      'suite',
      'bedroom',
      'bedrooms',
      'studio',
      'office',
      'offices',
      'story',
      'storey',
      'level',
      'wing',
      'cuarto',
      'recamara',
    ],
  ],
]);

/**
 * Work on the whole house, in whatever words: "a complete renovation of our house", "renovate it top to
 * bottom", "gutting a townhouse", "the whole interior".
 */
const WORKS_THE_WHOLE_HOUSE =
  /\b(?:complete|full|total|entire|whole) (?:\w+ )?(?:renovation|remodel|rehab|redo|restoration|gut) of (?:the|our|my|this|a) (?:\w+ )?(?:house|home|place|townhouse|condo)\b|\btop to bottom\b|\b(?:gut|gutting|restore|restoring|renovate|renovating) (?:the|our|my|a|this) (?:whole |entire )?(?:house|home|townhouse|condo|place|interior)\b|\bthe whole (?:interior|place)\b/;
const WORKS_THE_WHOLE_HOUSE_NEEDS = wordGate([
  [
    ['complete', 'full', 'total', 'entire', 'whole'],
    ['renovation', 'remodel', 'rehab', 'redo', 'restoration', 'gut'],
    ['of'],
  ],
  [['top'], ['bottom']],
  [
    ['gut', 'gutting', 'restore', 'restoring', 'renovate', 'renovating'],
    ['house', 'home', 'townhouse', 'condo', 'place', 'interior'],
  ],
  [['whole'], ['interior', 'place']],
]);

function structuralHits<Label extends StandardType>(
  sentences: readonly CallerSentence[],
  pattern: RegExp,
  needs: WordGate,
  label: Label,
  weight: number,
): PhraseHit<Label>[] {
  const hits: PhraseHit<Label>[] = [];
  const heard = gateWordsIn(sentences);
  if (!mayMatch(needs, heard, () => '')) return hits;
  const opens = opensBySentence(needs, heard);
  for (const [index, sentence] of sentences.entries()) {
    if (!opens(index, sentence.text)) continue;
    const found = pattern.exec(sentence.text);
    if (!found) continue;
    const word = wordAt(sentence, found.index);
    hits.push({ label, weight, sentence: index, word, negated: sentence.negated[word] ?? false });
  }
  return hits;
}

/**
 * Where the caller speaks of building a new room or of work on the whole house: hits beside the
 * lexicon's.
 */
export function projectsByShape(
  sentences: readonly CallerSentence[],
): PhraseHit<'addition' | 'whole_home'>[] {
  return [
    ...structuralHits(sentences, BUILDS_A_ROOM, BUILDS_A_ROOM_NEEDS, 'addition', ADDITION_AT),
    ...structuralHits(
      sentences,
      WORKS_THE_WHOLE_HOUSE,
      WORKS_THE_WHOLE_HOUSE_NEEDS,
      'whole_home',
      WHOLE_HOME_AT + 1,
    ),
  ];
}

function strongestFirst<Label extends string>(hits: readonly PhraseHit<Label>[]): Label | undefined {
  const totals = new Map<Label, { weight: number; first: number }>();
  for (const [order, hit] of hits.entries()) {
    if (hit.negated) continue;
    const entry = totals.get(hit.label) ?? { weight: 0, first: order };
    entry.weight += hit.weight;
    totals.set(hit.label, entry);
  }
  // The heaviest, the first named on a tie: what sorting the totals would put first.
  let strongest: Label | undefined;
  let most: { weight: number; first: number } | undefined;
  for (const [label, entry] of totals)
    if (
      most === undefined ||
      entry.weight > most.weight ||
      (entry.weight === most.weight && entry.first < most.first)
    ) {
      strongest = label;
      most = entry;
    }
  return strongest;
}

function weightOf(hits: readonly PhraseHit<StandardType>[], type: StandardType): number {
  let sum = 0;
  for (const hit of hits) if (hit.label === type && !hit.negated) sum += hit.weight;
  return sum;
}

/**
 * The project: the tenant's own types first; then "the whole house" (or kitchen and bathroom with
 * whole-home words) is whole_home; a new room is an addition even when it has a bathroom; otherwise the
 * room named most strongly, the first named on a tie. Negated mentions ("not the kitchen") do not count.
 */
export function decideProjectType(
  hits: readonly PhraseHit<StandardType>[],
  tenantHits: readonly PhraseHit<string>[],
): ProjectType {
  const tenantType = strongestFirst(tenantHits);
  if (tenantType) return tenantType;
  const kitchen = weightOf(hits, 'kitchen');
  const bathroom = weightOf(hits, 'bathroom');
  const whole = weightOf(hits, 'whole_home');
  if (whole >= WHOLE_HOME_AT + 1 || (whole >= WHOLE_HOME_AT - 2 && kitchen >= 3 && bathroom >= 3))
    return 'whole_home';
  if (weightOf(hits, 'addition') >= ADDITION_AT) return 'addition';
  const rooms = hits.filter(
    (hit) => (hit.label === 'kitchen' || hit.label === 'bathroom') && hit.weight >= 2,
  );
  const room = strongestFirst(
    rooms.length > 0 ? rooms : hits.filter((hit) => hit.label !== 'whole_home' && hit.label !== 'addition'),
  );
  return room ?? 'unknown';
}
