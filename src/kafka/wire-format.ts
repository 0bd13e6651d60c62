import { LeadstreamError } from '../errors/leadstream-error.js';

/** Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro body. */
const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

export function frame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export function unframe(message: Buffer): { schemaId: number; body: Buffer } {
  if (message.length < HEADER_LENGTH || message.readUInt8(0) !== MAGIC_BYTE) {
    throw new LeadstreamError(
      'serde_error',
      `message is not in the Confluent wire format (magic byte 0, then a 4-byte schema id): ${message.length} bytes starting 0x${message.subarray(0, 5).toString('hex')}`,
      { details: { reason: 'not_wire_format' } },
    );
  }
  return { schemaId: message.readInt32BE(1), body: message.subarray(HEADER_LENGTH) };
}
