import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/config/settings.js';

describe('process settings', () => {
  it('runs against the local platform with nothing set', () => {
    const settings = loadSettings({});
    expect(settings.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(settings.LEADSTREAM_REGISTRY_URL).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    expect(settings.TOPIC_RAW_CALLS).toBe('raw-calls');
  });

  it('reads a broker list and numbers from the environment', () => {
    const settings = loadSettings({ KAFKA_BROKERS: 'a:9092, b:9092', TOPIC_PARTITIONS: '12' });
    expect(settings.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(settings.TOPIC_PARTITIONS).toBe(12);
  });

  it('names every bad variable', () => {
    const load = () =>
      loadSettings({ TOPIC_PARTITIONS: 'many', GATEWAY_PORT: '70000', SECRETS_BACKEND: 'vault' });
    expect(load).toThrow(/TOPIC_PARTITIONS: .*expected number/);
    expect(load).toThrow(/GATEWAY_PORT: .*65535/);
    expect(load).toThrow(/SECRETS_BACKEND: expected one of .*env, file/);
  });
});
