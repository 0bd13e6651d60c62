import type {
  ObjectType,
  Pipeline,
  PropertyDefinition,
  PropertyGroup,
  PropertyType,
} from './portal-state.js';

interface Seed {
  name: string;
  type: PropertyType;
  fieldType?: string;
  options?: string[];
  hasUniqueValue?: boolean;
  calculated?: boolean;
}

const enumeration = (name: string, options: string[]): Seed => ({
  name,
  type: 'enumeration',
  fieldType: 'select',
  options,
});

/**
 * The HubSpot-defined properties a fresh portal has (a subset: those integrations like ours touch).
 * `lead_source`, `lead_source_detail` and the guide's call_* / ai_* properties are custom: tests define them.
 * `pipeline`, `dealstage` and `hubspot_owner_id` are enumerations whose options are the portal's
 * pipelines, stages and owners, checked where the value is validated.
 */
const SEEDS: Record<ObjectType, Seed[]> = {
  contacts: [
    { name: 'email', type: 'string', hasUniqueValue: true },
    { name: 'phone', type: 'string', fieldType: 'phonenumber' },
    { name: 'mobilephone', type: 'string', fieldType: 'phonenumber' },
    { name: 'hs_searchable_calculated_phone_number', type: 'string', calculated: true },
    { name: 'hs_searchable_calculated_mobile_number', type: 'string', calculated: true },
    { name: 'firstname', type: 'string' },
    { name: 'lastname', type: 'string' },
    { name: 'company', type: 'string' },
    { name: 'jobtitle', type: 'string' },
    { name: 'website', type: 'string' },
    { name: 'address', type: 'string' },
    { name: 'city', type: 'string' },
    { name: 'state', type: 'string' },
    { name: 'zip', type: 'string' },
    { name: 'country', type: 'string' },
    { name: 'message', type: 'string', fieldType: 'textarea' },
    enumeration('hs_lead_status', [
      'NEW',
      'OPEN',
      'IN_PROGRESS',
      'OPEN_DEAL',
      'UNQUALIFIED',
      'ATTEMPTED_TO_CONTACT',
      'CONNECTED',
      'BAD_TIMING',
    ]),
    enumeration('lifecyclestage', [
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]),
    enumeration('hubspot_owner_id', []),
    { name: 'createdate', type: 'datetime', fieldType: 'date' },
    { name: 'lastmodifieddate', type: 'datetime', fieldType: 'date', calculated: true },
    { name: 'hs_object_id', type: 'number', fieldType: 'number', calculated: true },
  ],
  deals: [
    { name: 'dealname', type: 'string' },
    enumeration('pipeline', []),
    enumeration('dealstage', []),
    { name: 'amount', type: 'number', fieldType: 'number' },
    { name: 'closedate', type: 'datetime', fieldType: 'date' },
    enumeration('dealtype', ['newbusiness', 'existingbusiness']),
    { name: 'description', type: 'string', fieldType: 'textarea' },
    enumeration('hubspot_owner_id', []),
    { name: 'createdate', type: 'datetime', fieldType: 'date' },
    { name: 'hs_lastmodifieddate', type: 'datetime', fieldType: 'date', calculated: true },
    { name: 'hs_object_id', type: 'number', fieldType: 'number', calculated: true },
  ],
  tasks: [
    { name: 'hs_timestamp', type: 'datetime', fieldType: 'date' },
    { name: 'hs_task_subject', type: 'string' },
    { name: 'hs_task_body', type: 'string', fieldType: 'textarea' },
    enumeration('hs_task_status', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'DEFERRED', 'COMPLETED']),
    enumeration('hs_task_priority', ['NONE', 'LOW', 'MEDIUM', 'HIGH']),
    enumeration('hs_task_type', ['CALL', 'EMAIL', 'TODO']),
    enumeration('hubspot_owner_id', []),
    { name: 'hs_createdate', type: 'datetime', fieldType: 'date', calculated: true },
    { name: 'hs_lastmodifieddate', type: 'datetime', fieldType: 'date', calculated: true },
    { name: 'hs_object_id', type: 'number', fieldType: 'number', calculated: true },
  ],
  calls: [
    { name: 'hs_timestamp', type: 'datetime', fieldType: 'date' },
    { name: 'hs_call_title', type: 'string' },
    { name: 'hs_call_body', type: 'string', fieldType: 'html' },
    { name: 'hs_call_duration', type: 'number', fieldType: 'number' },
    enumeration('hs_call_direction', ['INBOUND', 'OUTBOUND']),
    enumeration('hs_call_status', [
      'BUSY',
      'CALLING_CRM_USER',
      'CANCELED',
      'COMPLETED',
      'CONNECTING',
      'FAILED',
      'IN_PROGRESS',
      'MISSED',
      'NO_ANSWER',
      'QUEUED',
      'RINGING',
    ]),
    { name: 'hs_call_from_number', type: 'string' },
    { name: 'hs_call_to_number', type: 'string' },
    { name: 'hs_call_recording_url', type: 'string' },
    enumeration('hubspot_owner_id', []),
    { name: 'hs_createdate', type: 'datetime', fieldType: 'date', calculated: true },
    { name: 'hs_lastmodifieddate', type: 'datetime', fieldType: 'date', calculated: true },
    { name: 'hs_object_id', type: 'number', fieldType: 'number', calculated: true },
  ],
};

const GROUP_NAMES: Record<ObjectType, string> = {
  contacts: 'contactinformation',
  deals: 'dealinformation',
  tasks: 'taskinformation',
  calls: 'callinformation',
};

export function defaultProperties(objectType: ObjectType, at: string): PropertyDefinition[] {
  return SEEDS[objectType].map((seed) => ({
    name: seed.name,
    label: seed.name,
    type: seed.type,
    fieldType: seed.fieldType ?? (seed.type === 'enumeration' ? 'select' : 'text'),
    groupName: GROUP_NAMES[objectType],
    description: '',
    options: (seed.options ?? []).map((value, displayOrder) => ({
      label: value,
      value,
      displayOrder,
      hidden: false,
    })),
    hasUniqueValue: seed.hasUniqueValue ?? false,
    formField: seed.calculated !== true,
    calculated: seed.calculated ?? false,
    hubspotDefined: true,
    createdAt: at,
    updatedAt: at,
  }));
}

export function defaultGroups(objectType: ObjectType): PropertyGroup[] {
  return [{ name: GROUP_NAMES[objectType], label: 'Information', displayOrder: 0, archived: false }];
}

export function defaultPipelines(): Pipeline[] {
  return [
    {
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        'appointmentscheduled',
        'qualifiedtobuy',
        'presentationscheduled',
        'decisionmakerboughtin',
        'contractsent',
        'closedwon',
        'closedlost',
      ].map((id) => ({ id, label: id })),
    },
  ];
}
