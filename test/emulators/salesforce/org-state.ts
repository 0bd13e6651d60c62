import { type FieldDefinition, type ObjectDefinition, objectDefinitions } from './object-definitions.js';
import { type FieldValue, validateRecord } from './record-validation.js';
import { notFound, restError, SalesforceHttpError } from './salesforce-errors.js';
import { fieldsOf, matches, parseSoql } from './soql.js';

export interface StoredRecord {
  Id: string;
  type: string;
  fields: Record<string, FieldValue>;
}

export interface OrgOptions {
  guideFields: boolean;
  /** Block a Lead create whose Phone or Email an open lead has, as a duplicate rule set to Block does. */
  duplicateRule: boolean;
  /** The owner the org's active lead assignment rule gives; none when the org has no active rule. */
  assignmentRuleOwnerId: string | undefined;
  now: () => number;
}

const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character id: the 15-character one plus Salesforce's case checksum. */
function eighteenCharacterId(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15[chunk * 5 + i] ?? '';
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_CHARS[bits];
  }
  return id15 + suffix;
}

/** Whether a stored value equals one looked for, as a unique or external id field compares them. */
function sameValue(field: FieldDefinition, stored: FieldValue | undefined, wanted: FieldValue): boolean {
  if (typeof stored !== 'string' || typeof wanted !== 'string') return stored === wanted;
  return field.caseSensitive ? stored === wanted : stored.toLowerCase() === wanted.toLowerCase();
}

/** What sObject Rows by External ID did: the record it wrote, or the records the value matched. */
export type UpsertOutcome =
  | { kind: 'written'; record: StoredRecord; created: boolean }
  | { kind: 'multiple'; ids: string[] };

function phoneDigits(value: FieldValue | undefined): string {
  return typeof value === 'string' ? value.replace(/\D/g, '').slice(-10) : '';
}

/** Records and metadata of one org. */
export class OrgState {
  readonly orgId = '00D5g000000EmUlAAK';
  readonly integrationUserId = '0055g000000IntUsAAC';
  readonly objects: Map<string, ObjectDefinition>;
  private readonly records = new Map<string, StoredRecord>();
  /**
   * Custom fields the Tooling API created that no profile or permission set of the integration user
   * grants field-level security on yet: describe, SOQL and writes do not see them, as in an org.
   */
  private readonly withoutAccess = new Map<string, { object: ObjectDefinition; field: FieldDefinition }>();
  private sequence = 0;

  constructor(private readonly options: OrgOptions) {
    this.objects = objectDefinitions({ guideFields: options.guideFields });
  }

  object(name: string): ObjectDefinition {
    const found = [...this.objects.values()].find((o) => o.name.toLowerCase() === name.toLowerCase());
    if (!found) throw restError(404, 'NOT_FOUND', `The requested resource does not exist`);
    return found;
  }

  all(type: string): StoredRecord[] {
    return [...this.records.values()].filter((r) => r.type === type);
  }

  get(type: string, id: string): StoredRecord {
    const record = this.records.get(id) ?? [...this.records.values()].find((r) => r.Id.slice(0, 15) === id);
    if (!record || record.type !== type) throw notFound();
    return record;
  }

  /** A copy of every record, for an all-or-none composite request to roll back to. */
  snapshot(): Map<string, StoredRecord> {
    return new Map([...this.records].map(([id, r]) => [id, { ...r, fields: { ...r.fields } }]));
  }

  /**
   * Puts back the records `ids` as the snapshot holds them, and removes those it does not hold (created
   * since). Only those: requests running beside the rolled-back one keep what they wrote, as an org's
   * transaction undoes only its own changes.
   */
  restore(snapshot: Map<string, StoredRecord>, ids: Iterable<string>): void {
    for (const id of ids) {
      const record = snapshot.get(id);
      if (record) this.records.set(id, record);
      else this.records.delete(id);
    }
  }

  /** Adds a custom field to an object, without field-level security for the integration user yet. */
  defineCustomField(objectName: string, definition: FieldDefinition): void {
    const object = this.object(objectName);
    const key = `${object.name}.${definition.name}`.toLowerCase();
    const taken = [...object.fields.keys()].some(
      (name) => name.toLowerCase() === definition.name.toLowerCase(),
    );
    if (taken || this.withoutAccess.has(key)) {
      throw restError(
        400,
        'DUPLICATE_DEVELOPER_NAME',
        `There's already a field named ${definition.name.replace(/__c$/, '')} on ${object.name}.`,
        [],
      );
    }
    this.withoutAccess.set(key, { object, field: definition });
  }

  /** What an admin's field-level security grant (a profile or permission set) does for the integration user. */
  grantFieldAccess(objectName: string, fieldName: string): void {
    const key = `${objectName}.${fieldName}`.toLowerCase();
    const hidden = this.withoutAccess.get(key);
    if (hidden === undefined) throw new Error(`no field ${objectName}.${fieldName} without access`);
    this.withoutAccess.delete(key);
    hidden.object.fields.set(hidden.field.name, hidden.field);
  }

  /** Takes the integration user's access to a custom field away again; records keep their values. */
  revokeFieldAccess(objectName: string, fieldName: string): void {
    const object = this.object(objectName);
    const field = object.fields.get(fieldName);
    if (field === undefined || !field.custom) throw new Error(`no custom field ${objectName}.${fieldName}`);
    object.fields.delete(fieldName);
    this.withoutAccess.set(`${object.name}.${fieldName}`.toLowerCase(), { object, field });
  }

  /** A unique field's value another record of the object holds already: DUPLICATE_VALUE, as Salesforce. */
  private checkUnique(object: ObjectDefinition, values: Record<string, FieldValue>, ownId?: string): void {
    for (const [name, value] of Object.entries(values)) {
      const field = object.fields.get(name);
      if (field?.unique !== true || value === null || value === '') continue;
      const holder = this.all(object.name).find(
        (record) => record.Id !== ownId && sameValue(field, record.fields[name], value),
      );
      if (holder !== undefined) {
        throw restError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${name} duplicates value on record with id: ${holder.Id}`,
          [],
        );
      }
    }
  }

  /**
   * sObject Rows by External ID: updates the one record whose external id field holds the value, or
   * creates one holding it; a field that is no external id the integration user can see is not found.
   */
  upsert(
    type: string,
    fieldName: string,
    value: string,
    body: unknown,
    options: { autoAssign: boolean; allowDuplicates: boolean; apiVersion: string },
  ): UpsertOutcome {
    const object = this.object(type);
    const field = [...object.fields.values()].find((f) => f.name.toLowerCase() === fieldName.toLowerCase());
    if (field === undefined || !field.externalId) throw notFound();
    const matches = this.all(object.name).filter((record) =>
      sameValue(field, record.fields[field.name], value),
    );
    if (matches.length > 1) return { kind: 'multiple', ids: matches.map((record) => record.Id) };
    const [match] = matches;
    if (match !== undefined) {
      this.update(object.name, match.Id, body, { autoAssign: options.autoAssign });
      return { kind: 'written', record: match, created: false };
    }
    // A body that is no record is refused by create as it stands.
    const isRecord = body !== null && typeof body === 'object' && !Array.isArray(body);
    const record = this.create(object.name, isRecord ? { ...body, [field.name]: value } : body, options);
    return { kind: 'written', record, created: true };
  }

  private context() {
    return {
      exists: (id: string, objects: string[]) => {
        const record =
          this.records.get(id) ?? [...this.records.values()].find((r) => r.Id.slice(0, 15) === id);
        return record !== undefined && objects.includes(record.type);
      },
    };
  }

  private nextId(object: ObjectDefinition): string {
    this.sequence += 1;
    return eighteenCharacterId(`${object.keyPrefix}5g${this.sequence.toString().padStart(10, '0')}`);
  }

  private timestamp(): string {
    return new Date(this.options.now()).toISOString().replace('Z', '+0000');
  }

  private duplicateOf(fields: Record<string, FieldValue>): StoredRecord | undefined {
    const email = typeof fields.Email === 'string' ? fields.Email.toLowerCase() : '';
    const phone = phoneDigits(fields.Phone);
    return this.all('Lead').find(
      (lead) =>
        lead.fields.IsConverted !== true &&
        ((email !== '' &&
          typeof lead.fields.Email === 'string' &&
          lead.fields.Email.toLowerCase() === email) ||
          (phone !== '' && phoneDigits(lead.fields.Phone) === phone)),
    );
  }

  private duplicatesDetected(match: StoredRecord, apiVersion: string): SalesforceHttpError {
    const message = "You're creating a duplicate record. We recommend you use an existing record instead.";
    return new SalesforceHttpError(400, [
      {
        // Salesforce's REST answer really spells the key this way.
        duplicateResut: {
          allowSave: false,
          duplicateRule: 'Leads_by_Phone_or_Email',
          duplicateRuleEntityType: 'Lead',
          errorMessage: message,
          matchResults: [
            {
              entityType: 'Lead',
              errors: [],
              matchEngine: 'ExactMatchEngine',
              matchRecords: [
                {
                  additionalInformation: [],
                  fieldDiffs: [],
                  matchConfidence: 100.0,
                  record: {
                    attributes: {
                      type: 'Lead',
                      url: `/services/data/v${apiVersion}/sobjects/Lead/${match.Id}`,
                    },
                    Id: match.Id,
                  },
                },
              ],
              rule: 'Lead_Phone_or_Email_Exact',
              size: 1,
              success: true,
            },
          ],
        },
        errorCode: 'DUPLICATES_DETECTED',
        message,
      },
    ]);
  }

  create(
    type: string,
    body: unknown,
    options: { autoAssign: boolean; allowDuplicates: boolean; apiVersion: string },
  ): StoredRecord {
    const object = this.object(type);
    const values = validateRecord(object, body, 'create', this.context());
    this.checkUnique(object, values);
    if (object.name === 'Lead' && this.options.duplicateRule && !options.allowDuplicates) {
      const match = this.duplicateOf(values);
      if (match) throw this.duplicatesDetected(match, options.apiVersion);
    }
    const defaults: Record<string, FieldValue> = {};
    for (const field of object.fields.values()) {
      const preset = field.picklistValues.find((p) => p.defaultValue);
      if (preset) defaults[field.name] = preset.value;
    }
    const assigned =
      object.name === 'Lead' && options.autoAssign && this.options.assignmentRuleOwnerId !== undefined
        ? { OwnerId: this.options.assignmentRuleOwnerId }
        : {};
    const now = this.timestamp();
    const record: StoredRecord = {
      Id: this.nextId(object),
      type: object.name,
      fields: {
        OwnerId: this.integrationUserId,
        ...defaults,
        ...values,
        ...assigned,
        CreatedDate: now,
        ...(object.fields.has('LastModifiedDate') ? { LastModifiedDate: now } : {}),
        ...(object.name === 'Lead' ? { IsConverted: false } : { IsClosed: values.Status === 'Completed' }),
      },
    };
    record.fields.Id = record.Id;
    this.records.set(record.Id, record);
    return record;
  }

  update(type: string, id: string, body: unknown, options: { autoAssign: boolean }): void {
    const object = this.object(type);
    const record = this.get(object.name, id);
    const values = validateRecord(object, body, 'update', this.context());
    this.checkUnique(object, values, record.Id);
    if (object.name === 'Lead' && record.fields.IsConverted === true) {
      throw restError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
    }
    Object.assign(record.fields, values);
    if (object.name === 'Lead' && options.autoAssign && this.options.assignmentRuleOwnerId !== undefined) {
      record.fields.OwnerId = this.options.assignmentRuleOwnerId;
    }
    if (object.fields.has('LastModifiedDate')) record.fields.LastModifiedDate = this.timestamp();
  }

  /** Runs a query of the supported subset; unknown objects and fields fail as Salesforce's do. */
  query(
    soql: string,
    apiVersion: string,
  ): { totalSize: number; done: true; records: Record<string, unknown>[] } {
    const query = parseSoql(soql);
    const object = [...this.objects.values()].find(
      (o) => o.name.toLowerCase() === query.object.toLowerCase(),
    );
    if (!object) {
      throw restError(
        400,
        'INVALID_TYPE',
        `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${query.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
      );
    }
    const canonical = (name: string) =>
      [...object.fields.keys()].find((f) => f.toLowerCase() === name.toLowerCase());
    for (const name of fieldsOf(query)) {
      const field = canonical(name);
      if (field === undefined) {
        throw restError(
          400,
          'INVALID_FIELD',
          `\n${soql}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
        );
      }
      if (object.fields.get(field)?.filterable === false && !query.fields.includes(name)) {
        throw restError(400, 'INVALID_FIELD', `field '${field}' can not be filtered in a query call`);
      }
    }
    const lowerCased = (record: StoredRecord) =>
      Object.fromEntries(Object.entries(record.fields).map(([k, v]) => [k.toLowerCase(), v]));
    const where = lowerCaseFields(query.where);
    let rows = this.all(object.name).filter((record) => matches(lowerCased(record), where));
    if (query.orderBy) {
      const key = query.orderBy.field.toLowerCase();
      const direction = query.orderBy.descending ? -1 : 1;
      rows = [...rows].sort((a, b) => {
        const x = String(lowerCased(a)[key] ?? '');
        const y = String(lowerCased(b)[key] ?? '');
        return (x < y ? -1 : x > y ? 1 : a.Id < b.Id ? -1 : 1) * direction;
      });
    }
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);
    const records = rows.map((record) => ({
      attributes: {
        type: object.name,
        url: `/services/data/v${apiVersion}/sobjects/${object.name}/${record.Id}`,
      },
      ...Object.fromEntries(
        query.fields.map((name) => [canonical(name) ?? name, record.fields[canonical(name) ?? name] ?? null]),
      ),
    }));
    return { totalSize: records.length, done: true, records };
  }
}

/** Conditions over lower-cased field names: SOQL field names are case-insensitive. */
function lowerCaseFields(condition: Parameters<typeof matches>[1]): Parameters<typeof matches>[1] {
  if (condition === undefined) return undefined;
  switch (condition.kind) {
    case 'compare':
    case 'in':
      return { ...condition, field: condition.field.toLowerCase() };
    case 'not':
      return { kind: 'not', condition: lowerCaseFields(condition.condition) ?? condition.condition };
    default:
      return {
        kind: condition.kind,
        left: lowerCaseFields(condition.left) ?? condition.left,
        right: lowerCaseFields(condition.right) ?? condition.right,
      };
  }
}
