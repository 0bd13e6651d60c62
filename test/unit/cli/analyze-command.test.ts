import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

function io(input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(input);
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin }, out: read(stdout), err: read(stderr) };
}

async function tempFile(name: string, content: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'analyze-')), name);
  await writeFile(file, content);
  return file;
}

const KITCHEN_CALL = [
  'Agent: Thanks for calling Acme Remodeling, how can I help?',
  "Caller: Hi, we want to redo our kitchen, new cabinets and counters. We've set aside about fifty thousand dollars.",
  'Agent: Great, when are you hoping to start?',
  'Caller: Next month if we can.',
].join('\n');

const ROOFER = {
  tenant_id: 'tenant_roofer',
  analysis: { project_types: [{ name: 'roof_replacement', keywords: ['roof', 'shingle*'] }] },
  crm_config: { type: 'hubspot', api_token: 'x', field_mappings: { phone: 'customer_phone' } },
};

describe('leadstream analyze', () => {
  it('analyses a plain transcript read from standard input and says why it scored what it did', async () => {
    const { streams, out } = io(KITCHEN_CALL);
    expect(await main(['analyze', '--now', '2026-11-25T17:00:00Z'], streams)).toBe(0);
    const analysis = JSON.parse(out());
    expect(analysis).toMatchObject({
      intent: 'quote_request',
      project_type: 'kitchen',
      timeline: '1-3_months',
      budget_indicator: 'high',
      analyzer: 'embedded',
    });
    expect(analysis.score_reasons).toEqual(
      expect.arrayContaining(['+10 call answered', '+30 intent quote_request', 'budget about $50,000']),
    );
  });

  it("analyses a RawCall JSON file with the tenant's own project types", async () => {
    const call = await tempFile(
      'call.json',
      JSON.stringify({
        call_id: 'CAL1',
        tenant_id: 'tenant_roofer',
        answered: true,
        duration_seconds: 240,
        customer_name: 'Jane Doe',
        transcription: 'Caller: Hi, a storm tore shingles off our roof, can someone give me a quote?',
        start_time: '2026-11-25T17:00:00Z',
        received_at: 1_795_000_000_000,
      }),
    );
    const tenant = await tempFile('tenant.json', JSON.stringify(ROOFER));
    const { streams, out, err } = io();
    expect(await main(['analyze', call, '--tenant', tenant], streams)).toBe(0);
    expect(err()).toBe(`${call}: read 1 turn: 0 agent (0 words), 1 caller (14 words)\n`);
    const analysis = JSON.parse(out());
    expect(analysis.project_type).toBe('roof_replacement');
    expect(analysis.score_reasons).toContain('+10 call lasted 4 minutes');
  });

  it('reads a transcript with its labels inline, and says how many turns and words each speaker had', async () => {
    const { streams, out, err } = io(KITCHEN_CALL.replaceAll('\n', ' '));
    expect(await main(['analyze', '--now', '2026-11-25T17:00:00Z'], streams)).toBe(0);
    expect(err()).toBe('(stdin): read 4 turns: 2 agent (16 words), 2 caller (23 words)\n');
    expect(JSON.parse(out())).toMatchObject({ intent: 'quote_request', project_type: 'kitchen' });
  });

  it("analyses a CallRail call as CallRail sends it, reading its conversational_transcript's turns", async () => {
    const body = {
      resource_id: 'CAL8154748ae6bd4e278a7cddd38a662f4f',
      answered: true,
      duration: '95',
      start_time: '2026-11-25T10:02:11.000-06:00',
      transcription: 'thanks for calling acme how can i help we need a quote for a new kitchen next month',
      conversational_transcript: [
        { speaker: 'Agent', phrase: 'Thanks for calling Acme, how can I help?' },
        { speaker: 'Customer', phrase: 'We need a quote for a new kitchen, next month if we can.' },
      ],
    };
    const { streams, out, err } = io(JSON.stringify(body));
    expect(await main(['analyze'], streams)).toBe(0);
    expect(err()).toBe('(stdin): read 2 turns: 1 agent (8 words), 1 caller (13 words)\n');
    expect(JSON.parse(out())).toMatchObject({
      intent: 'quote_request',
      project_type: 'kitchen',
      timeline: '1-3_months',
    });
  });

  it("says when none of the caller's words were found", async () => {
    const { streams, err } = io('Speaker 1: Thanks for calling Acme Remodeling, how can I help?');
    expect(await main(['analyze'], streams)).toBe(0);
    expect(err()).toBe(
      '(stdin): read 1 turn: 1 agent (9 words), 0 caller (0 words); no caller turns: nothing the caller said was analysed\n',
    );
  });

  it('scores a call without a transcript from its metadata, and says so', async () => {
    const { streams, out } = io(
      JSON.stringify({ call_id: 'CAL2', tenant_id: 't', answered: false, voicemail: true, received_at: 0 }),
    );
    expect(await main(['analyze', '-'], streams)).toBe(0);
    const analysis = JSON.parse(out());
    expect(analysis.intent).toBe('unknown');
    expect(analysis.score_reasons).toEqual(
      expect.arrayContaining(['+4 voicemail left', 'no transcript: scored from call data']),
    );
  });

  it('refuses a RawCall with bad fields, naming each one, and exits 1', async () => {
    const { streams, out, err } = io(
      JSON.stringify({ call_id: 'CAL3', transcript: 'hello', duration_seconds: '180', received_at: 0 }),
    );
    expect(await main(['analyze'], streams)).toBe(1);
    expect(out()).toBe('');
    const message = err();
    expect(message).toContain('(stdin): not a RawCall:');
    expect(message).toContain('tenant_id: expected string');
    expect(message).toContain('duration_seconds: expected number, got string');
    expect(message).toContain('transcript: unknown key "transcript" (did you mean "transcription"?)');
  });

  it('refuses text that starts like JSON but is not', async () => {
    const { streams, err } = io('{"call_id": ');
    expect(await main(['analyze'], streams)).toBe(1);
    expect(err()).toMatch(/^\(stdin\): not valid JSON/);
  });

  it('refuses an invalid tenant file, naming the bad path', async () => {
    const tenant = await tempFile(
      'tenant.json',
      JSON.stringify({ ...ROOFER, analysis: { project_types: [{ name: 'Roof Work', keywords: ['roof'] }] } }),
    );
    const { streams, err } = io(KITCHEN_CALL);
    expect(await main(['analyze', '--tenant', tenant], streams)).toBe(1);
    expect(err()).toContain(`${tenant}: analysis.project_types[0].name:`);
  });
});
