/** A field as /sobjects/<object>/describe reports it (the properties the emulator uses). */
export interface FieldDefinition {
  name: string;
  label: string;
  type:
    | 'id'
    | 'string'
    | 'phone'
    | 'email'
    | 'url'
    | 'textarea'
    | 'picklist'
    | 'combobox'
    | 'double'
    | 'int'
    | 'boolean'
    | 'date'
    | 'datetime'
    | 'reference';
  length: number;
  precision: number;
  scale: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  custom: boolean;
  restrictedPicklist: boolean;
  picklistValues: Array<{
    active: boolean;
    defaultValue: boolean;
    label: string;
    validFor: null;
    value: string;
  }>;
  referenceTo: string[];
  filterable: boolean;
  /** Whether upsert can find records by it (sObject Rows by External ID). */
  externalId: boolean;
  /** No two records of the object may hold the same value. */
  unique: boolean;
  /** A unique field telling `abc` from `ABC`. */
  caseSensitive: boolean;
  /** Whether it can identify a record: the Id and external ids. */
  idLookup: boolean;
}

export interface ObjectDefinition {
  name: 'Lead' | 'Task';
  label: string;
  keyPrefix: string;
  /** By API name; a field is required on create when it is neither nillable nor defaulted. */
  fields: Map<string, FieldDefinition>;
}

export type FieldSpec = Partial<FieldDefinition> & Pick<FieldDefinition, 'name' | 'type'>;

function picklist(values: string[], defaultValue?: string): FieldDefinition['picklistValues'] {
  return values.map((value) => ({
    active: true,
    defaultValue: value === defaultValue,
    label: value,
    validFor: null,
    value,
  }));
}

export function field(spec: FieldSpec): FieldDefinition {
  const text = ['string', 'phone', 'email', 'url', 'textarea', 'picklist', 'combobox'].includes(spec.type);
  return {
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    length: text ? 255 : spec.type === 'id' || spec.type === 'reference' ? 18 : 0,
    precision: 0,
    scale: 0,
    nillable: true,
    createable: true,
    updateable: true,
    defaultedOnCreate: false,
    custom: spec.name.endsWith('__c'),
    restrictedPicklist: false,
    picklistValues: [],
    referenceTo: [],
    // Long text areas cannot be filtered in SOQL.
    filterable: !(spec.type === 'textarea' && (spec.length ?? 255) > 255),
    externalId: false,
    unique: false,
    caseSensitive: false,
    idLookup: spec.type === 'id' || spec.externalId === true,
    ...spec,
  };
}

const readOnly = { createable: false, updateable: false, nillable: false, defaultedOnCreate: true };

/** The standard Lead fields a call integration meets. */
function standardLeadFields(): FieldSpec[] {
  return [
    { name: 'Id', type: 'id', ...readOnly },
    { name: 'FirstName', type: 'string', label: 'First Name', length: 40 },
    { name: 'LastName', type: 'string', label: 'Last Name', length: 80, nillable: false },
    { name: 'Company', type: 'string', length: 255, nillable: false },
    { name: 'Title', type: 'string', length: 128 },
    { name: 'Phone', type: 'phone', length: 40 },
    { name: 'MobilePhone', type: 'phone', label: 'Mobile Phone', length: 40 },
    { name: 'Email', type: 'email', length: 80 },
    { name: 'Street', type: 'textarea', length: 255 },
    { name: 'City', type: 'string', length: 40 },
    { name: 'State', type: 'string', label: 'State/Province', length: 80 },
    { name: 'PostalCode', type: 'string', label: 'Zip/Postal Code', length: 20 },
    { name: 'Country', type: 'string', length: 80 },
    { name: 'Description', type: 'textarea', length: 32_000 },
    {
      name: 'LeadSource',
      type: 'picklist',
      label: 'Lead Source',
      length: 255,
      picklistValues: picklist(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
    },
    { name: 'Rating', type: 'picklist', picklistValues: picklist(['Hot', 'Warm', 'Cold']) },
    {
      name: 'Status',
      type: 'picklist',
      nillable: false,
      defaultedOnCreate: true,
      restrictedPicklist: true,
      picklistValues: picklist(
        ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
        'Open - Not Contacted',
      ),
    },
    {
      name: 'OwnerId',
      type: 'reference',
      label: 'Owner ID',
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
    },
    { name: 'IsConverted', type: 'boolean', label: 'Converted', ...readOnly },
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date', ...readOnly },
    { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', ...readOnly },
  ];
}

/** The custom Lead fields of the setup guide's step 4. */
export function guideLeadFields(): FieldSpec[] {
  return [
    { name: 'Call_Recording_URL__c', type: 'url', label: 'Call Recording URL', length: 255 },
    { name: 'Call_Transcript__c', type: 'textarea', label: 'Call Transcript', length: 131_072 },
    {
      name: 'AI_Project_Type__c',
      type: 'picklist',
      label: 'AI Project Type',
      restrictedPicklist: true,
      picklistValues: picklist(['Kitchen', 'Bathroom', 'Whole Home', 'Addition', 'Unknown']),
    },
    { name: 'AI_Timeline__c', type: 'string', label: 'AI Timeline', length: 255 },
    { name: 'AI_Lead_Score__c', type: 'double', label: 'AI Lead Score', precision: 3, scale: 0 },
  ];
}

function taskFields(): FieldSpec[] {
  return [
    { name: 'Id', type: 'id', ...readOnly },
    { name: 'Subject', type: 'combobox', length: 255 },
    {
      name: 'Status',
      type: 'picklist',
      nillable: false,
      defaultedOnCreate: true,
      restrictedPicklist: true,
      picklistValues: picklist(
        ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        'Not Started',
      ),
    },
    {
      name: 'Priority',
      type: 'picklist',
      nillable: false,
      defaultedOnCreate: true,
      restrictedPicklist: true,
      picklistValues: picklist(['High', 'Normal', 'Low'], 'Normal'),
    },
    { name: 'ActivityDate', type: 'date', label: 'Due Date Only' },
    { name: 'Description', type: 'textarea', length: 32_000 },
    { name: 'WhoId', type: 'reference', label: 'Name ID', referenceTo: ['Contact', 'Lead'] },
    { name: 'WhatId', type: 'reference', label: 'Related To ID', referenceTo: ['Account', 'Opportunity'] },
    {
      name: 'OwnerId',
      type: 'reference',
      label: 'Assigned To ID',
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
    },
    { name: 'CallObject', type: 'string', label: 'Call Object Identifier', length: 255 },
    { name: 'CallDisposition', type: 'string', label: 'Call Result', length: 255 },
    { name: 'CallDurationInSeconds', type: 'int', label: 'Call Duration' },
    {
      name: 'CallType',
      type: 'picklist',
      restrictedPicklist: true,
      picklistValues: picklist(['Internal', 'Inbound', 'Outbound']),
    },
    {
      name: 'TaskSubtype',
      type: 'picklist',
      restrictedPicklist: true,
      // Set when the task is created, never changed: an email stays an email.
      updateable: false,
      picklistValues: picklist(['Task', 'Email', 'Call']),
    },
    { name: 'IsClosed', type: 'boolean', label: 'Closed', ...readOnly },
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date', ...readOnly },
  ];
}

function definition(
  name: ObjectDefinition['name'],
  label: string,
  keyPrefix: string,
  specs: FieldSpec[],
): ObjectDefinition {
  return { name, label, keyPrefix, fields: new Map(specs.map((spec) => [spec.name, field(spec)])) };
}

/** Lead and Task; the guide's custom Lead fields unless `guideFields` is false (an org not set up yet). */
export function objectDefinitions(options: { guideFields: boolean }): Map<string, ObjectDefinition> {
  const leadSpecs = [...standardLeadFields(), ...(options.guideFields ? guideLeadFields() : [])];
  return new Map([
    ['Lead', definition('Lead', 'Lead', '00Q', leadSpecs)],
    ['Task', definition('Task', 'Task', '00T', taskFields())],
  ]);
}

/** The describe answer: the object's properties and its fields. */
export function describeBody(object: ObjectDefinition, apiVersion: string): Record<string, unknown> {
  return {
    name: object.name,
    label: object.label,
    keyPrefix: object.keyPrefix,
    createable: true,
    updateable: true,
    queryable: true,
    custom: false,
    fields: [...object.fields.values()],
    urls: {
      sobject: `/services/data/v${apiVersion}/sobjects/${object.name}`,
      describe: `/services/data/v${apiVersion}/sobjects/${object.name}/describe`,
      rowTemplate: `/services/data/v${apiVersion}/sobjects/${object.name}/{ID}`,
    },
  };
}
