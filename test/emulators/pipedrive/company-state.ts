import { type CustomFieldSpec, type Entity, FieldCatalog } from './field-definitions.js';
import { gatewayError, notFound, validationFailed } from './pipedrive-errors.js';
import { bodyProblems } from './record-validation.js';

export interface User {
  id: number;
  name: string;
  email: string;
}

export interface Stage {
  id: number;
  name: string;
  pipeline_id: number;
}

export interface Pipeline {
  id: number;
  name: string;
}

interface ContactItem {
  value: string;
  primary: boolean;
  label: string;
}

export interface StoredPerson {
  id: number;
  name: string;
  first_name: string | null;
  last_name: string | null;
  owner_id: number;
  org_id: number | null;
  add_time: string;
  update_time: string;
  emails: ContactItem[];
  phones: ContactItem[];
  is_deleted: boolean;
  visible_to: number;
  label_ids: number[];
  postal_address: Record<string, string> | null;
  notes: string | null;
  job_title: string | null;
  custom_fields: Record<string, unknown>;
  /** Epoch ms from which search finds the person (the search index lags writes). */
  indexedAt: number;
}

export interface StoredDeal {
  id: number;
  title: string;
  value: number;
  currency: string;
  person_id: number | null;
  org_id: number | null;
  pipeline_id: number;
  stage_id: number;
  owner_id: number;
  status: string;
  expected_close_date: string | null;
  add_time: string;
  update_time: string;
  custom_fields: Record<string, unknown>;
}

export interface StoredActivity {
  id: number;
  subject: string;
  type: string;
  owner_id: number;
  deal_id: number | null;
  person_id: number | null;
  due_date: string | null;
  due_time: string | null;
  /** `HH:MM`. */
  duration: string | null;
  done: boolean;
  note: string | null;
  add_time: string;
}

/** A v1 call log: its id is text, unlike every v2 record's. */
export interface StoredCallLog {
  id: string;
  /** The call-type activity the log is, as Pipedrive counts call logs among activities. */
  activity_id: number;
  user_id: number;
  subject: string | null;
  duration: string | null;
  outcome: string;
  from_phone_number: string | null;
  to_phone_number: string;
  start_time: string;
  end_time: string;
  person_id: number | null;
  deal_id: number | null;
  note: string | null;
  has_recording: boolean;
  company_id: number;
}

export interface CompanyOptions {
  companyId: number;
  companyName: string;
  companyDomain: string;
  users: User[];
  pipelines: Pipeline[];
  stages: Stage[];
  customFields: Record<Entity, CustomFieldSpec[]>;
  /** How long a written person stays invisible to search. */
  searchLagMs: number;
  now: () => number;
}

export const ACTIVITY_TYPES = ['call', 'meeting', 'task', 'deadline', 'email', 'lunch'];

const CALL_OUTCOMES = ['connected', 'no_answer', 'left_message', 'left_voicemail', 'wrong_number', 'busy'];
const CALL_LOG_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const CALL_LOG_KEYS = new Set([
  'user_id',
  'activity_id',
  'subject',
  'duration',
  'outcome',
  'from_phone_number',
  'to_phone_number',
  'start_time',
  'end_time',
  'person_id',
  'org_id',
  'deal_id',
  'lead_id',
  'note',
]);

type Body = Record<string, unknown>;

function contactItems(value: unknown): ContactItem[] {
  const items = (value as Array<{ value: string; primary?: boolean; label?: string }>).filter(
    (item) => item.value !== '',
  );
  const primary = Math.max(
    0,
    items.findIndex((item) => item.primary === true),
  );
  return items.map((item, i) => ({ value: item.value, primary: i === primary, label: item.label ?? 'work' }));
}

const digits = (text: string) => text.replace(/\D/g, '');

/** The records, fields and settings of one Pipedrive company. */
export class CompanyState {
  readonly fields: FieldCatalog;
  readonly persons = new Map<number, StoredPerson>();
  readonly deals = new Map<number, StoredDeal>();
  readonly activities = new Map<number, StoredActivity>();
  readonly callLogs = new Map<string, StoredCallLog>();
  searchLagMs: number;
  private nextId = 1;

  constructor(readonly options: CompanyOptions) {
    this.fields = new FieldCatalog(options.customFields);
    this.searchLagMs = options.searchLagMs;
  }

  private stamp(): string {
    return new Date(this.options.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private check(resource: 'person' | 'deal' | 'activity', body: unknown, required: string[]): Body {
    const problems = bodyProblems(resource, body, this.fields);
    const record = (body ?? {}) as Body;
    for (const key of required) {
      if (record[key] === undefined || record[key] === '') problems.unshift(`${key}: Required`);
    }
    const refs: Array<[string, (id: number) => boolean]> = [
      ['owner_id', (id) => this.options.users.some((u) => u.id === id)],
      ['person_id', (id) => this.persons.has(id)],
      ['deal_id', (id) => this.deals.has(id)],
      ['pipeline_id', (id) => this.options.pipelines.some((p) => p.id === id)],
      ['stage_id', (id) => this.options.stages.some((s) => s.id === id)],
    ];
    for (const [key, exists] of refs) {
      const id = record[key];
      if (Number.isInteger(id) && !exists(id as number))
        problems.push(`${key}: Entity with ID ${id} not found`);
    }
    if (problems.length > 0) throw validationFailed(problems);
    return record;
  }

  private defaultOwner(): number {
    return this.options.users[0]?.id ?? 1;
  }

  person(id: number): StoredPerson {
    const found = this.persons.get(id);
    if (!found || found.is_deleted) throw notFound('Person');
    return found;
  }

  createPerson(body: unknown): StoredPerson {
    const b = this.check('person', body, ['name']);
    const now = this.stamp();
    const person: StoredPerson = {
      id: this.nextId++,
      name: String(b.name),
      first_name: null,
      last_name: null,
      owner_id: (b.owner_id as number | undefined) ?? this.defaultOwner(),
      org_id: (b.org_id as number | undefined) ?? null,
      add_time: now,
      update_time: now,
      emails: b.emails === undefined ? [] : contactItems(b.emails),
      phones: b.phones === undefined ? [] : contactItems(b.phones),
      is_deleted: false,
      visible_to: (b.visible_to as number | undefined) ?? 3,
      label_ids: (b.label_ids as number[] | undefined) ?? [],
      postal_address: (b.postal_address as Record<string, string> | undefined) ?? null,
      notes: (b.notes as string | undefined) ?? null,
      job_title: (b.job_title as string | undefined) ?? null,
      custom_fields: {},
      indexedAt: this.options.now() + this.searchLagMs,
    };
    this.applyCustomFields(person.custom_fields, b.custom_fields);
    this.persons.set(person.id, person);
    return person;
  }

  /** PATCH: the given parameters replace the stored ones (emails and phones as whole lists). */
  updatePerson(id: number, body: unknown): StoredPerson {
    const person = this.person(id);
    const b = this.check('person', body, []);
    if (b.name === '') throw validationFailed(['name: Must not be empty']);
    if (typeof b.name === 'string') person.name = b.name;
    if (b.owner_id !== undefined) person.owner_id = b.owner_id as number;
    if (b.emails !== undefined) person.emails = contactItems(b.emails);
    if (b.phones !== undefined) person.phones = contactItems(b.phones);
    if (b.postal_address !== undefined) person.postal_address = b.postal_address as Record<string, string>;
    if (b.notes !== undefined) person.notes = b.notes as string;
    if (b.job_title !== undefined) person.job_title = b.job_title as string;
    this.applyCustomFields(person.custom_fields, b.custom_fields);
    person.update_time = this.stamp();
    person.indexedAt = Math.max(person.indexedAt, this.options.now() + this.searchLagMs);
    return person;
  }

  private applyCustomFields(target: Record<string, unknown>, values: unknown): void {
    if (values === undefined) return;
    for (const [code, value] of Object.entries(values as Body)) target[code] = value;
  }

  /** `/persons/search`: exact phone match ignores formatting (Pipedrive indexes digits), email ignores case. */
  searchPersons(term: string, fields: string[], exact: boolean): StoredPerson[] {
    const now = this.options.now();
    const wanted = term.toLowerCase();
    const matches = (value: string, field: string) => {
      if (field === 'phone') {
        return exact
          ? digits(value) === digits(term) && digits(term) !== ''
          : digits(value).includes(digits(term));
      }
      return exact ? value.toLowerCase() === wanted : value.toLowerCase().includes(wanted);
    };
    return [...this.persons.values()].filter((person) => {
      if (person.is_deleted || person.indexedAt > now) return false;
      return fields.some((field) => {
        if (field === 'phone') return person.phones.some((p) => matches(p.value, 'phone'));
        if (field === 'email') return person.emails.some((e) => matches(e.value, 'email'));
        if (field === 'name') return matches(person.name, 'name');
        if (field === 'notes') return person.notes !== null && matches(person.notes, 'notes');
        return Object.values(person.custom_fields).some((v) => typeof v === 'string' && matches(v, field));
      });
    });
  }

  deal(id: number): StoredDeal {
    const found = this.deals.get(id);
    if (!found) throw notFound('Deal');
    return found;
  }

  createDeal(body: unknown): StoredDeal {
    const b = this.check('deal', body, ['title']);
    const stageId = b.stage_id as number | undefined;
    const stage = this.options.stages.find((s) => s.id === stageId);
    const pipelineId =
      (b.pipeline_id as number | undefined) ?? stage?.pipeline_id ?? this.options.pipelines[0]?.id;
    if (stage && stage.pipeline_id !== pipelineId) {
      throw validationFailed([`stage_id: Stage ${stage.id} does not belong to pipeline ${pipelineId}`]);
    }
    const firstStage = this.options.stages.find((s) => s.pipeline_id === pipelineId);
    const now = this.stamp();
    const deal: StoredDeal = {
      id: this.nextId++,
      title: String(b.title),
      value: (b.value as number | undefined) ?? 0,
      currency: (b.currency as string | undefined) ?? 'USD',
      person_id: (b.person_id as number | undefined) ?? null,
      org_id: (b.org_id as number | undefined) ?? null,
      pipeline_id: pipelineId ?? 1,
      stage_id: stage?.id ?? firstStage?.id ?? 1,
      owner_id: (b.owner_id as number | undefined) ?? this.defaultOwner(),
      status: (b.status as string | undefined) ?? 'open',
      expected_close_date: (b.expected_close_date as string | undefined) ?? null,
      add_time: now,
      update_time: now,
      custom_fields: {},
    };
    this.applyCustomFields(deal.custom_fields, b.custom_fields);
    this.deals.set(deal.id, deal);
    return deal;
  }

  createActivity(body: unknown): StoredActivity {
    const b = this.check('activity', body, []);
    if (b.type !== undefined && !ACTIVITY_TYPES.includes(String(b.type))) {
      throw validationFailed([`type: Activity type '${String(b.type)}' does not exist`]);
    }
    return this.addActivity({
      subject: (b.subject as string | undefined) ?? 'Call',
      type: (b.type as string | undefined) ?? 'call',
      owner_id: (b.owner_id as number | undefined) ?? this.defaultOwner(),
      deal_id: (b.deal_id as number | undefined) ?? null,
      person_id: (b.person_id as number | undefined) ?? null,
      due_date: (b.due_date as string | undefined) ?? null,
      due_time: (b.due_time as string | undefined) ?? null,
      duration: (b.duration as string | undefined) ?? null,
      done: (b.done as boolean | undefined) ?? false,
      note: (b.note as string | undefined) ?? null,
    });
  }

  private addActivity(fields: Omit<StoredActivity, 'id' | 'add_time'>): StoredActivity {
    const activity: StoredActivity = { id: this.nextId++, ...fields, add_time: this.stamp() };
    this.activities.set(activity.id, activity);
    return activity;
  }

  /**
   * v1 `POST /callLogs`, checked as Pipedrive does: the required outcome, number called and start and
   * end (UTC, `YYYY-MM-DD HH:MM:SS`, the end not before the start), a duration of whole seconds, and
   * linked persons and deals that exist. Errors come in v1's envelope. Pipedrive counts a call log among
   * activities: the log is a done call-type activity (a new one, or the one `activity_id` converts, whose
   * person and deal the log takes), listed with the person's and the deal's activities.
   */
  createCallLog(body: unknown): StoredCallLog {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw gatewayError(400, 'Request body must be an object');
    }
    const b = body as Body;
    const problems: string[] = [];
    for (const key of Object.keys(b)) if (!CALL_LOG_KEYS.has(key)) problems.push(`${key} is not allowed`);
    for (const key of ['outcome', 'to_phone_number', 'start_time', 'end_time']) {
      if (typeof b[key] !== 'string' || b[key] === '') problems.push(`${key} is required`);
    }
    if (typeof b.outcome === 'string' && !CALL_OUTCOMES.includes(b.outcome)) {
      problems.push(`outcome must be one of ${CALL_OUTCOMES.join(', ')}`);
    }
    for (const key of ['start_time', 'end_time']) {
      if (typeof b[key] === 'string' && b[key] !== '' && !CALL_LOG_TIME.test(b[key] as string)) {
        problems.push(`${key} must be in the format YYYY-MM-DD HH:MM:SS`);
      }
    }
    if (typeof b.start_time === 'string' && typeof b.end_time === 'string' && b.end_time < b.start_time) {
      problems.push('end_time must not be before start_time');
    }
    if (b.duration !== undefined && !(typeof b.duration === 'string' && /^\d+$/.test(b.duration))) {
      problems.push('duration must be a number of seconds');
    }
    if (problems.length > 0) throw gatewayError(400, problems.join('; '));
    if (b.person_id !== undefined && !this.persons.has(b.person_id as number)) {
      throw gatewayError(404, 'Person not found');
    }
    if (b.deal_id !== undefined && !this.deals.has(b.deal_id as number)) {
      throw gatewayError(404, 'Deal not found');
    }
    const activity = this.callActivityOf(b);
    const id = `${(this.nextId++).toString(16).padStart(8, '0')}a1b2c3d4e5f60718293a4b5c`;
    const log: StoredCallLog = {
      id,
      activity_id: activity.id,
      user_id: (b.user_id as number | undefined) ?? this.defaultOwner(),
      subject: (b.subject as string | undefined) ?? null,
      duration: (b.duration as string | undefined) ?? null,
      outcome: String(b.outcome),
      from_phone_number: (b.from_phone_number as string | undefined) ?? null,
      to_phone_number: String(b.to_phone_number),
      start_time: String(b.start_time),
      end_time: String(b.end_time),
      person_id: activity.person_id,
      deal_id: activity.deal_id,
      note: (b.note as string | undefined) ?? null,
      has_recording: false,
      company_id: this.options.companyId,
    };
    this.callLogs.set(id, log);
    return log;
  }

  /** The activity a call log is: the call-type one `activity_id` names, done now, else a new done call. */
  private callActivityOf(b: Body): StoredActivity {
    const [date, time] = String(b.start_time).split(' ');
    const call = {
      due_date: date ?? null,
      due_time: time?.slice(0, 5) ?? null,
      duration: b.duration === undefined ? null : hoursAndMinutes(Number(b.duration)),
      done: true,
    };
    if (b.activity_id === undefined) {
      return this.addActivity({
        ...call,
        subject: (b.subject as string | undefined) ?? 'Call',
        type: 'call',
        owner_id: (b.user_id as number | undefined) ?? this.defaultOwner(),
        person_id: (b.person_id as number | undefined) ?? null,
        deal_id: (b.deal_id as number | undefined) ?? null,
        note: (b.note as string | undefined) ?? null,
      });
    }
    const converted = this.activities.get(b.activity_id as number);
    if (converted === undefined) throw gatewayError(404, 'Activity not found');
    if (converted.type !== 'call') throw gatewayError(400, 'activity_id must refer to a call type activity');
    Object.assign(converted, call, typeof b.subject === 'string' ? { subject: b.subject } : {});
    return converted;
  }
}

/** Seconds as an activity's `HH:MM`, to the nearest minute. */
function hoursAndMinutes(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A person as API v2 answers it (no emulator bookkeeping). */
export function personView(person: StoredPerson): Omit<StoredPerson, 'indexedAt'> {
  const { indexedAt: _indexed, ...view } = person;
  return view;
}
