import {
  PropertyCreateFieldTypeEnum as FieldType,
  type PropertyCreate,
  PropertyCreateTypeEnum as PropertyType,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { HubSpotCrmConfig } from '../../config/tenants/crm-config.js';
import {
  BUDGET_INDICATORS,
  INTENTS,
  SENTIMENTS,
  STANDARD_PROJECT_TYPES,
  TIMELINES,
  URGENCIES,
} from '../../events/ai-analysis.js';

/** The property group the setup guide puts leadstream's contact properties in. */
export const CALL_INFORMATION_GROUP = { name: 'call_information', label: 'Call Information' } as const;

/** The values an analysis field can take: the options of an enumeration property that maps it. */
const ANALYSIS_VALUES: Readonly<Record<string, readonly string[]>> = {
  'ai_analysis.intent': INTENTS,
  'ai_analysis.project_type': STANDARD_PROJECT_TYPES,
  'ai_analysis.timeline': TIMELINES,
  'ai_analysis.budget_indicator': BUDGET_INDICATORS,
  'ai_analysis.sentiment': SENTIMENTS,
  'ai_analysis.urgency': URGENCIES,
};

/** Long free text gets a multi-line field, as the guide's call_transcript does. */
const LONG_TEXT_PATHS = new Set(['transcription']);

const ACRONYMS = new Set(['ai', 'url', 'id']);

/** "ai_lead_score" → "AI Lead Score", "1-3_months" → "1-3 Months": the guide's labels. */
function labelOf(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

type CustomProperty = HubSpotCrmConfig['custom_properties'][number];

/**
 * The HubSpot contact property each configured custom property needs, as the guide's step 3 creates
 * them: type, field type, and for an enumeration mapped from the analysis its possible values.
 */
export function contactPropertyFor(custom: CustomProperty): PropertyCreate {
  const base = {
    name: custom.name,
    label: custom.label ?? labelOf(custom.name),
    groupName: CALL_INFORMATION_GROUP.name,
    ...(custom.description === undefined ? {} : { description: custom.description }),
  };
  switch (custom.type) {
    case 'number':
      return { ...base, type: PropertyType.Number, fieldType: FieldType.Number };
    case 'bool':
      return {
        ...base,
        type: PropertyType.Bool,
        fieldType: FieldType.Booleancheckbox,
        options: [
          { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
          { label: 'No', value: 'false', displayOrder: 1, hidden: false },
        ],
      };
    case 'date':
      return { ...base, type: PropertyType.Date, fieldType: FieldType.Date };
    case 'datetime':
      return { ...base, type: PropertyType.Datetime, fieldType: FieldType.Date };
    case 'enumeration': {
      // Options the tenant listed, else every value the analysis field it maps can take.
      const analysisValues = typeof custom.value === 'string' ? (ANALYSIS_VALUES[custom.value] ?? []) : [];
      const options =
        custom.options?.map((option) =>
          typeof option === 'string' ? { label: labelOf(option), value: option } : option,
        ) ?? analysisValues.map((value) => ({ label: labelOf(value), value }));
      return {
        ...base,
        type: PropertyType.Enumeration,
        fieldType: FieldType.Select,
        options: options.map((option, index) => ({ ...option, displayOrder: index, hidden: false })),
      };
    }
    default:
      return {
        ...base,
        type: PropertyType.String,
        fieldType:
          typeof custom.value === 'string' && LONG_TEXT_PATHS.has(custom.value)
            ? FieldType.Textarea
            : FieldType.Text,
      };
  }
}
