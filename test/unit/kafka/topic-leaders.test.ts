import type { Admin, ITopicMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { createTopicsWithLeaders } from '../../../src/kafka/topic-leaders.js';

/** What the broker answers to each metadata read after the create, in turn; the last one repeats. */
function brokerAnswering(answers: Array<ITopicMetadata[] | Error>) {
  const created: string[] = [];
  let reads = 0;
  const admin = {
    createTopics: async ({ topics }: { topics: Array<{ topic: string }> }) => {
      created.push(...topics.map(({ topic }) => topic));
      return true;
    },
    fetchTopicMetadata: async () => {
      const answer = answers[Math.min(reads, answers.length - 1)];
      reads += 1;
      if (answer instanceof Error) throw answer;
      return { topics: answer ?? [] };
    },
  } as unknown as Admin;
  return { admin, created, reads: () => reads };
}

const led = (name: string, leader = 1): ITopicMetadata => ({
  name,
  partitions: [
    { partitionErrorCode: 0, partitionId: 0, leader, replicas: [1], isr: [1] },
    { partitionErrorCode: 0, partitionId: 1, leader, replicas: [1], isr: [1] },
  ],
});

const unknownTopic = () =>
  Object.assign(new Error('This server does not host this topic-partition'), {
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
  });

describe('createTopicsWithLeaders', () => {
  it("waits out a just-created topic's 'not hosted here' and leaderless answers until every partition has a leader", async () => {
    const broker = brokerAnswering([unknownTopic(), [led('raw-calls', -1)], [led('raw-calls')]]);
    await createTopicsWithLeaders(broker.admin, [{ topic: 'raw-calls', numPartitions: 2 }], {
      timeoutMs: 5_000,
      intervalMs: 1,
    });
    expect(broker.created).toEqual(['raw-calls']);
    expect(broker.reads()).toBe(3);
  });

  it('gives up with a retryable kafka_unavailable naming the topics when no leader comes by the deadline', async () => {
    const broker = brokerAnswering([unknownTopic()]);
    const failure = await createTopicsWithLeaders(
      broker.admin,
      [{ topic: 'raw-calls' }, { topic: 'crm-commands' }],
      { timeoutMs: 50, intervalMs: 5 },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LeadstreamError);
    expect(failure).toMatchObject({ type: 'kafka_unavailable', retryable: true });
    expect((failure as Error).message).toContain('raw-calls, crm-commands');
  });
});
