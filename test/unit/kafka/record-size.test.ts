import { createRequire } from 'node:module';
import type { IHeaders } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { recordSize, topicMaxMessageBytes } from '../../../src/kafka/record-size.js';
import { byPartition } from '../../../src/kafka/send-failure.js';

// kafkajs's own encoders: what it writes on the wire is what the broker measures.
const require = createRequire(import.meta.url);
type Encoded = { size(): number };
interface EncodableRecord {
  key: string;
  value: Buffer;
  headers?: IHeaders;
  offsetDelta?: number;
  timestampDelta?: number;
}
const encodeRecord: (
  record: EncodableRecord,
) => Encoded = require('kafkajs/src/protocol/recordBatch/record/v0');
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (batch: { records: Encoded[]; lastOffsetDelta: number }) => Promise<Encoded>;
};

const records: Array<{ what: string; key: string; value: Buffer; headers?: IHeaders }> = [
  { what: 'an empty record', key: '', value: Buffer.alloc(0) },
  { what: 'a small record', key: 'tenant_demo_kitchens', value: Buffer.from('{"call_id":"CAL1"}') },
  { what: 'a 1 MB record', key: 'tenant-ü', value: Buffer.alloc(1_000_000, 7) },
  {
    what: 'a record with headers, one repeated and one multibyte',
    key: 'tenant',
    value: Buffer.alloc(300),
    headers: {
      'leadstream-error-type': 'crm_rejected',
      'leadstream-error-message': 'Ungültige Eigenschaft — ✓'.repeat(40),
      repeated: ['one', Buffer.from('two'), 'three'],
    },
  },
];

describe('recordSize', () => {
  it.each(records)(
    'is never less than kafkajs writes for $what, and not far above',
    ({ key, value, headers }) => {
      const size = recordSize({ key, value, headers });
      // The framing varints at their widest: the last record of a full group, sent long after the first.
      const written = encodeRecord({
        key,
        value,
        headers: headers ?? {},
        offsetDelta: 499,
        timestampDelta: 30_000,
      });
      expect(size).toBeGreaterThanOrEqual(written.size());
      expect(size - written.size()).toBeLessThanOrEqual(100);
    },
  );

  it('keeps a batch of records whose sizes add up to the limit within the topic max.message.bytes it asks for', async () => {
    const limit = 20_000;
    const batch = Array.from({ length: 50 }, (_, index) => ({
      key: `tenant-${index}`,
      value: Buffer.alloc(300),
      headers: { 'leadstream-stage': 'enricher' },
    }));
    const total = batch.reduce((sum, record) => sum + recordSize(record), 0);
    expect(total).toBeLessThanOrEqual(limit);
    const encoded = await encodeBatch({
      lastOffsetDelta: batch.length - 1,
      records: batch.map((record, offsetDelta) =>
        encodeRecord({ ...record, offsetDelta, timestampDelta: 0 }),
      ),
    });
    expect(encoded.size()).toBeLessThanOrEqual(topicMaxMessageBytes(limit));
    const single = await encodeBatch({
      lastOffsetDelta: 0,
      records: [
        encodeRecord({
          key: 'tenant',
          value: Buffer.alloc(limit - recordSize({ key: 'tenant', value: Buffer.alloc(0) })),
        }),
      ],
    });
    expect(single.size()).toBeLessThanOrEqual(topicMaxMessageBytes(limit));
  });
});

describe('byPartition', () => {
  it('parts a group by topic partition in first-seen order, keeping each part in send order', () => {
    const group = [
      { topic: 'raw', partition: 2, id: 'a' },
      { topic: 'raw', partition: 0, id: 'b' },
      { topic: 'dead', partition: 2, id: 'c' },
      { topic: 'raw', partition: 2, id: 'd' },
      { topic: 'raw', partition: undefined, id: 'e' },
      { topic: 'raw', partition: 0, id: 'f' },
    ];
    expect(byPartition(group).map((part) => part.map(({ id }) => id))).toEqual([
      ['a', 'd'],
      ['b', 'f'],
      ['c'],
      ['e'],
    ]);
  });
});
