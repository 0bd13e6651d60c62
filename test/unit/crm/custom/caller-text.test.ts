import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TenantConfig } from '../../../../src/config/tenants/tenant-config.js';
import { CustomRestAdapter } from '../../../../src/crm/custom/custom-rest-adapter.js';
import type { CrmCommand } from '../../../../src/events/crm-command.js';
import type { RawCall } from '../../../../src/events/raw-call.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { buildMappingView, type MappingView } from '../../../../src/mapping/mapping-view.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { failureOf } from '../../../support/failure-of.js';
import { guideEnrichedCall } from '../../../support/guide-fixtures.js';
import { quiet, secret, TENANT, TOKEN, tenant } from './custom-harness.js';
import { type RecordedRequest, type RecordingCrm, startRecordingCrm } from './recording-crm.js';

/**
 * Caller-controlled text (webhook and form fields, transcripts) is data: it never chooses a host,
 * never changes a URL outside its encoded placeholder, is never expanded as a template and never
 * reaches a header unchecked (issue #10).
 */

const PASSWORD = 'pa55:word-7731';
const BASIC = Buffer.from(`leadstream:${PASSWORD}`).toString('base64');
const KEY = 'key-9d8c7b6a5f';
const CLIENT_SECRET = 'client-secret-0a1b2c3d';
const clock = fixedClock('2026-11-25T17:20:00Z');

type CallChanges = Partial<Omit<RawCall, 'form_fields' | 'marketing'>> & {
  form_fields?: Record<string, string>;
  marketing?: Record<string, string>;
};

function eventWith(changes: CallChanges, callId: string) {
  const event = guideEnrichedCall();
  event.call = { ...event.call, ...changes, tenant_id: TENANT, call_id: callId };
  return event;
}

function commandWith(config: TenantConfig, changes: CallChanges, callId = 'CAL_CALLER'): CrmCommand {
  return buildCrmCommand(eventWith(changes, callId), config, clock);
}

let crm: RecordingCrm;
beforeAll(async () => {
  crm = await startRecordingCrm();
});
afterAll(async () => {
  await crm.close();
});
beforeEach(() => {
  crm.reset();
  crm.findAnswers(false);
});

const json = { 'Content-Type': 'application/json' };
const bearer = { type: 'bearer', token: secret('crm-token') };
const lines = (requests: RecordedRequest[]) =>
  requests.map((request) => `${request.method} ${request.target}`);

describe('caller text in a custom CRM request: the measured reproductions', () => {
  const traversal = '../../admin/users/1?delete=true&x=';

  it('keeps a form field inside its encoded segment of a create path', async () => {
    const config = tenant({
      type: 'custom',
      api_base_url: `${crm.url}/v1`,
      authentication: bearer,
      endpoints: {
        create_contact: {
          method: 'POST',
          path: '/contacts/{{form_fields.ref}}',
          headers: json,
          response_id_path: 'data.id',
        },
      },
      payload_templates: { contact: { phone: '{{customer_phone}}' } },
    });
    await new CustomRestAdapter().execute(
      commandWith(config, { form_fields: { ref: traversal } }),
      quiet(config),
    );
    expect(lines(crm.requests)).toEqual([`POST /v1/contacts/${encodeURIComponent(traversal)}`]);
    expect(crm.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('keeps a form field inside its encoded segment and query value of an update path', async () => {
    const config = tenant({
      type: 'custom',
      api_base_url: `${crm.url}/v1`,
      authentication: bearer,
      endpoints: {
        find_contact: {
          method: 'GET',
          path: '/contacts?phone={{customer_phone}}',
          response_id_path: 'data.0.id',
        },
        create_contact: { method: 'POST', path: '/contacts', headers: json, response_id_path: 'data.id' },
        update_contact: {
          method: 'PATCH',
          path: '/contacts/{{contact.id}}/tags/{{form_fields.tag}}?ref={{form_fields.ref}}',
          headers: json,
        },
      },
      payload_templates: { contact: { phone: '{{customer_phone}}' } },
    });
    crm.findAnswers(true);
    const command = commandWith(config, { form_fields: { ref: traversal, tag: traversal } });
    await new CustomRestAdapter().execute(command, quiet(config));
    expect(lines(crm.requests)).toEqual([
      'GET /v1/contacts?phone=%2B15125550143',
      `PATCH /v1/contacts/rec_found/tags/${encodeURIComponent(traversal)}?ref=${encodeURIComponent(traversal)}`,
    ]);
  });

  it('sends {{auth.token}} typed into a form field as that text, never as the token, in path, header and body', async () => {
    const config = tenant({
      type: 'custom',
      api_base_url: `${crm.url}/v1`,
      authentication: bearer,
      endpoints: {
        create_contact: {
          method: 'POST',
          path: '/contacts/{{form_fields.ref}}',
          headers: { ...json, Authorization: 'Bearer {{auth.token}}', 'X-Ref': 'ref {{form_fields.ref}}' },
          response_id_path: 'data.id',
        },
        create_opportunity: { method: 'POST', path: '/opportunities', headers: json },
      },
      payload_templates: {
        contact: {
          phone: '{{customer_phone}}',
          ref: '{{form_fields.ref}}',
          note: 'from {{form_fields.ref}}',
        },
        opportunity: {
          contact_id: '{{contact.id}}',
          title: '{{form_fields.title}}',
          text: 'for {{contact.id}}',
        },
      },
    });
    const typed = { ref: '{{auth.token}}', title: '{{contact.id}}' };
    await new CustomRestAdapter().execute(commandWith(config, { form_fields: typed }), quiet(config));

    const [contact, opportunity] = crm.requests;
    expect(contact?.target).toBe('/v1/contacts/%7B%7Bauth.token%7D%7D');
    expect(contact?.headers['x-ref']).toBe('ref {{auth.token}}');
    expect(contact?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(contact?.body ?? '')).toEqual({
      phone: '+15125550143',
      ref: '{{auth.token}}',
      note: 'from {{auth.token}}',
    });
    expect(JSON.parse(opportunity?.body ?? '')).toEqual({
      contact_id: 'rec_1',
      title: '{{contact.id}}',
      text: 'for rec_1',
    });
    for (const request of crm.requests) {
      const { authorization: _credential, ...headers } = request.headers;
      expect(JSON.stringify([request.target, headers, request.body])).not.toContain(TOKEN);
    }
  });
});

describe('caller text a request cannot carry', () => {
  const config = () =>
    tenant({
      type: 'custom',
      api_base_url: `${crm.url}/v1`,
      authentication: bearer,
      endpoints: {
        create_contact: {
          method: 'POST',
          path: '/contacts/{{form_fields.ref}}',
          headers: { ...json, 'X-Source': 'leadstream {{source}}' },
        },
      },
      payload_templates: { contact: { phone: '{{customer_phone}}' } },
    });

  it('refuses, as a field_mapping_error naming the header, a call value with a control character in a header', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('\r\n', '\n', '\r', '\u0000', '\t', '\u001b', '\u007f', '\u0085'),
        fc.string(),
        (before, control, after) => {
          let thrown: unknown;
          try {
            commandWith(config(), { source: `${before}${control}${after}` });
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toMatchObject({ type: 'field_mapping_error', retryable: false });
          expect((thrown as Error).message).toContain('X-Source');
          expect((thrown as Error).message).toContain('create_contact');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a call value that would make a path segment "." or ".."', () => {
    for (const ref of ['.', '..']) {
      expect(() => commandWith(config(), { form_fields: { ref } })).toThrow(
        expect.objectContaining({ type: 'field_mapping_error', message: expect.stringContaining('path') }),
      );
    }
  });

  it('refuses, without sending it, a request written in the string form of before issue #10', async () => {
    const config = tenant({
      type: 'custom',
      api_base_url: `${crm.url}/v1`,
      authentication: bearer,
      endpoints: { create_contact: { method: 'POST', path: '/contacts', headers: json } },
      payload_templates: { contact: { phone: '{{customer_phone}}' } },
    });
    const command = commandWith(config, {});
    const old = {
      endpoint: 'create_contact',
      method: 'POST',
      path: '/contacts/{{auth.token}}',
      headers: { Authorization: 'Bearer {{auth.token}}' },
      body: { phone: '+15125550143' },
      response_id_path: 'id',
    };
    const [first] = command.operations;
    if (!first) throw new Error('the command has no operation');
    const inFlight = { ...command, operations: [{ ...first, payload_json: JSON.stringify(old) }] };
    const error = await failureOf(new CustomRestAdapter().execute(inFlight, quiet(config)));
    expect(error).toMatchObject({ type: 'validation_error', retryable: false });
    expect(error.message).toContain('before issue #10');
    expect(crm.requests).toEqual([]);
  });
});

type Scheme = 'bearer_in_template' | 'basic' | 'api_key_header' | 'api_key_query' | 'oauth2';
interface SchemeSetup {
  authentication: { type: string } & Record<string, string>;
  headers: Record<string, string>;
  /** The one header or query parameter the credential may travel in. */
  credential: { header?: string; query?: string };
}

/** How each authentication scheme is configured, and where its credential may appear. */
const SCHEMES: Record<Scheme, SchemeSetup> = {
  bearer_in_template: {
    authentication: bearer,
    headers: { Authorization: 'Bearer {{auth.token}}' },
    credential: { header: 'authorization' },
  },
  basic: {
    authentication: { type: 'basic', username: secret('crm-user'), password: secret('crm-password') },
    headers: {},
    credential: { header: 'authorization' },
  },
  api_key_header: {
    authentication: { type: 'api_key', key: secret('crm-key'), name: 'X-Api-Key' },
    headers: {},
    credential: { header: 'x-api-key' },
  },
  api_key_query: {
    authentication: { type: 'api_key', key: secret('crm-key'), in: 'query', name: 'api_key' },
    headers: {},
    credential: { query: 'api_key' },
  },
  oauth2: {
    authentication: {
      type: 'oauth2_client_credentials',
      token_url: 'TOKEN_URL',
      client_id: secret('crm-client-id'),
      client_secret: secret('crm-client-secret'),
    },
    headers: {},
    credential: { header: 'authorization' },
  },
};

/** Every caller field a tenant can template, somewhere in a path, a query, a header or a body. */
function everywhereConfig(scheme: Scheme): TenantConfig {
  const { authentication, headers } = SCHEMES[scheme];
  const sent = { ...json, ...headers, 'X-Ref': '{{form_fields.ref}}', 'X-Source': 'leadstream/{{source}}' };
  return tenant({
    type: 'custom',
    api_base_url: `${crm.url}/v1`,
    authentication:
      authentication.type === 'oauth2_client_credentials'
        ? { ...authentication, token_url: `${crm.url}/oauth/token` }
        : authentication,
    endpoints: {
      find_contact: {
        method: 'GET',
        path: '/contacts?ref={{form_fields.ref}}&city={{customer_city}}',
        headers,
        response_id_path: 'data.0.id',
      },
      create_contact: {
        method: 'POST',
        path: '/contacts/{{form_fields.ref}}/new?name={{customer_name}}&phone={{customer_phone}}',
        headers: sent,
        response_id_path: 'data.id',
      },
      update_contact: {
        method: 'PATCH',
        path: '/contacts/{{contact.id}}/{{customer_state}}?campaign={{marketing.utm_campaign}}',
        headers: sent,
      },
      create_note: {
        method: 'POST',
        path: '/contacts/{{contact.id}}/notes/{{customer_email}}?via={{source}}',
        headers: { ...json, ...headers },
      },
    },
    payload_templates: {
      contact: {
        name: '{{customer_name}}',
        first: '{{customer_name_first}}',
        last: '{{customer_name_last}}',
        phone: '{{customer_phone}}',
        email: '{{customer_email}}',
        city: 'City of {{customer_city}}',
        state: '{{customer_state}}',
        ref: '{{form_fields.ref}}',
        message: '{{form_fields.message}}',
        transcript: '{{transcription}}',
        campaign: '{{marketing.utm_campaign}}',
        nested: { source: ['{{source}}', '{{tracking_number}}'] },
      },
      note: {
        contact: '{{contact.id}}',
        text: 'Note for {{contact.id}}: {{form_fields.message}} / {{transcription}}',
      },
    },
  });
}

/** The placeholder of each path segment and query value of the tenant's paths, by endpoint. */
const PATHS = {
  find: '/v1/contacts?ref={{form_fields.ref}}&city={{customer_city}}',
  create: '/v1/contacts/{{form_fields.ref}}/new?name={{customer_name}}&phone={{customer_phone}}',
  update: '/v1/contacts/{{contact.id}}/{{customer_state}}?campaign={{marketing.utm_campaign}}',
  note: '/v1/contacts/{{contact.id}}/notes/{{customer_email}}?via={{source}}',
};
const CALLER_HEADERS: Record<string, (view: MappingView) => string> = {
  'x-ref': (view) => text(view.form_fields, 'ref'),
  'x-source': (view) => `leadstream/${text(view, 'source')}`,
};

function text(from: unknown, key: string): string {
  const value = (from as Record<string, unknown>)[key];
  return value === null || value === undefined ? '' : String(value);
}

function valueAt(view: MappingView, placeholder: string): string | undefined {
  const path = /^\{\{(.+)\}\}$/.exec(placeholder)?.[1];
  if (path === undefined || path.endsWith('.id')) return undefined;
  const [root, key] = path.split('.');
  return key === undefined
    ? text(view, root ?? '')
    : text((view as Record<string, unknown>)[root ?? ''], key);
}

/** A text as it can travel: a lone surrogate half (no character) becomes U+FFFD. */
const wellFormed = (value: string) =>
  value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/**
 * What of a request the caller must not change, given the path template it was sent to: every path
 * segment and query value is compared with the benign request's, except where a caller value's
 * placeholder stands, which must decode to exactly that value.
 */
function expectSameShape(
  attack: RecordedRequest,
  benign: RecordedRequest,
  template: string,
  view: MappingView,
  scheme: Scheme,
): void {
  expect(attack.method).toBe(benign.method);
  expect(attack.headers.host).toBe(benign.headers.host);
  const [templatePath = '', templateQuery = ''] = template.split('?');
  const [attackPath = '', attackQuery = ''] = attack.target.split('?');
  const [benignPath = ''] = benign.target.split('?');
  const segments = templatePath.split('/');
  expect(attackPath.split('/')).toHaveLength(segments.length);
  segments.forEach((placeholder, index) => {
    const value = valueAt(view, placeholder);
    const sent = attackPath.split('/')[index] ?? '';
    if (value === undefined) expect(sent).toBe(benignPath.split('/')[index]);
    else expect(decodeURIComponent(sent)).toBe(wellFormed(value));
  });
  const query = new URLSearchParams(attackQuery);
  const benignQuery = new URLSearchParams(benign.target.split('?')[1] ?? '');
  expect([...query.keys()]).toEqual([...benignQuery.keys()]);
  for (const [name, placeholder] of new URLSearchParams(templateQuery)) {
    expect(query.get(name)).toBe(wellFormed(valueAt(view, placeholder) ?? ''));
  }
  if (SCHEMES[scheme].credential.header === undefined) {
    expect(query.get('api_key')).toBe(KEY);
  }
  const names = (request: RecordedRequest) => Object.keys(request.headers).sort();
  expect(names(attack)).toEqual(names(benign));
  for (const [name, value] of Object.entries(attack.headers)) {
    const caller = CALLER_HEADERS[name];
    if (caller !== undefined) expect(value).toBe(caller(view).replace(/^ +| +$/g, ''));
    else if (name === 'authorization' && scheme === 'oauth2') expect(value).toMatch(/^Bearer at_\d+_/);
    else if (name !== 'content-length') expect(value).toBe(benign.headers[name]);
  }
}

/** Every request text outside the credential's own header or query parameter holds no secret. */
function expectNoSecret(request: RecordedRequest, scheme: Scheme, issued: readonly string[]): void {
  const { credential } = SCHEMES[scheme];
  const headers = Object.entries(request.headers).filter(([name]) => name !== credential.header);
  const [path = '', query = ''] = request.target.split('?');
  const params = [...new URLSearchParams(query)].filter(([name]) => name !== credential.query);
  const seen = JSON.stringify([request.method, path, params, headers, request.body]);
  for (const secret of [TOKEN, PASSWORD, BASIC, KEY, CLIENT_SECRET, ...issued]) {
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain(encodeURIComponent(secret));
  }
}

/** Text a caller might type to escape its place: placeholders, URL syntax, header breaks. */
const FRAGMENTS = [
  '{{auth.token}}',
  '{{ auth.password }}',
  '{{auth.key}}',
  '{{auth.username}}',
  '{{contact.id}}',
  '{{note.id}}',
  '{{',
  '}}',
  '..',
  '.',
  '/',
  '\\',
  '?',
  '#',
  '&',
  '=',
  '%',
  '%2e%2e',
  '%0d%0a',
  '@',
  ':',
  '//evil.example',
  'http://evil.example/',
  ' ',
  'é',
  '"',
  '<',
];
const UNSAFE_FRAGMENTS = ['\r\n', 'X-Injected: 1', '\u0000', '\t', '😀', '\u0085'];
const joined = (fragments: readonly string[]) =>
  fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
/** Any text, weighted towards the text above. */
const callerText = fc.oneof(
  { weight: 4, arbitrary: joined([...FRAGMENTS, ...UNSAFE_FRAGMENTS]) },
  { weight: 2, arbitrary: fc.string({ minLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('.', '..') },
);
/** For a field that reaches a header: mostly text a header can carry, so most runs are sent. */
const headerText = fc.oneof(
  { weight: 5, arbitrary: joined(FRAGMENTS) },
  { weight: 1, arbitrary: callerText },
);

const BENIGN: CallChanges = {
  customer_name: 'Jane Doe',
  customer_phone: '(512) 555-0143',
  customer_email: 'jane@example.com',
  customer_city: 'Austin',
  customer_state: 'TX',
  transcription: 'Caller: please call me back',
  source: 'Google Ads',
  tracking_number: '+18005550100',
  form_fields: { ref: 'web-42', message: 'New kitchen' },
  marketing: { utm_campaign: 'spring' },
};

const HEADER_SAFE = /^[\u0020-\u007e\u00a0-\u00ff]*$/;

async function deliver(config: TenantConfig, command: CrmCommand): Promise<RecordedRequest[]> {
  crm.reset();
  await new CustomRestAdapter().execute(command, quiet(config));
  return [...crm.requests];
}

describe('caller text in every field a tenant can template (property)', () => {
  it('changes no method, host, path segment, query name or header outside its placeholder, and reveals no secret', async () => {
    const benign = new Map<string, RecordedRequest[]>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(SCHEMES) as Scheme[])),
        fc.boolean(),
        fc.record({
          customer_name: callerText,
          customer_phone: callerText,
          customer_email: callerText,
          customer_city: callerText,
          customer_state: callerText,
          transcription: callerText,
          source: headerText,
          tracking_number: callerText,
          ref: headerText,
          message: callerText,
          campaign: callerText,
        }),
        async (scheme, found, { ref, message, campaign, ...call }) => {
          const config = everywhereConfig(scheme);
          crm.findAnswers(found);
          const key = `${scheme}:${found}`;
          if (!benign.has(key))
            benign.set(key, await deliver(config, commandWith(config, BENIGN, 'CAL_PROPERTY')));
          const changes: CallChanges = {
            ...call,
            form_fields: { ref, message },
            marketing: { utm_campaign: campaign },
          };
          const view = buildMappingView(eventWith(changes, 'CAL_PROPERTY'));
          const refused =
            !HEADER_SAFE.test(text(view.form_fields, 'ref')) ||
            !HEADER_SAFE.test(text(view, 'source')) ||
            ['.', '..'].includes(text(view.form_fields, 'ref')) ||
            ['.', '..'].includes(text(view, 'customer_state'));
          let command: CrmCommand;
          try {
            command = commandWith(config, changes, 'CAL_PROPERTY');
          } catch (error) {
            expect(refused).toBe(true);
            expect(error).toMatchObject({ type: 'field_mapping_error', retryable: false });
            return;
          }
          expect(refused).toBe(false);
          const sent = await deliver(config, command);
          const expected = benign.get(key) ?? [];
          expect(sent).toHaveLength(expected.length);
          const templates = found
            ? [PATHS.find, PATHS.update, PATHS.note]
            : [PATHS.find, PATHS.create, PATHS.note];
          sent.forEach((request, index) => {
            const template = templates[index] ?? '';
            const twin = expected[index];
            if (twin === undefined) throw new Error('no benign request to compare');
            expectSameShape(request, twin, template, view, scheme);
            expectNoSecret(request, scheme, crm.issuedTokens);
          });
          const id = found ? 'rec_found' : expect.stringMatching(/^rec_\d+$/);
          const str = (value: unknown) => (value === undefined ? null : value);
          expect(JSON.parse(sent[1]?.body ?? '')).toEqual({
            name: str(view.customer_name),
            first: str(view.customer_name_first),
            last: str(view.customer_name_last),
            phone: str(view.customer_phone),
            email: str(view.customer_email),
            city: `City of ${text(view, 'customer_city')}`,
            state: str(view.customer_state),
            ref: text(view.form_fields, 'ref'),
            message: text(view.form_fields, 'message'),
            transcript: str(view.transcription),
            campaign: text(view.marketing, 'utm_campaign'),
            nested: { source: [str(view.source), str(view.tracking_number)] },
          });
          const note = JSON.parse(sent[2]?.body ?? '') as { contact: string; text: string };
          expect(note).toEqual({ contact: id, text: expect.any(String) });
          expect(note.text).toBe(
            `Note for ${note.contact}: ${text(view.form_fields, 'message')} / ${text(view, 'transcription')}`,
          );
        },
      ),
      { numRuns: 80 },
    );
    // 10 s on a 2-core machine running the unit tests: room for a machine several times slower.
  }, 120_000);
});
