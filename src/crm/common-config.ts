import {
  callTimelineSchema,
  duplicateDetectionSchema,
  valueMapsSchema,
  workflowTriggersSchema,
} from '../mapping/mapping-config.js';

/**
 * What a CRM's `crm_config` has beside its own keys, meaning the same whatever the CRM: who is the same
 * caller (`duplicate_detection`, docs/mapping-language.md), the workflow triggers, the value maps and
 * the call timeline.
 */
export const commonCrmConfigShape = {
  duplicate_detection: duplicateDetectionSchema.optional(),
  workflow_triggers: workflowTriggersSchema.default({}),
  value_maps: valueMapsSchema.default({}),
  /** Each call as an activity on the record's timeline; on by default. */
  call_timeline: callTimelineSchema,
};
