import { Partitioners, type PartitionMetadata } from 'kafkajs';

/** A one-broker topic's partitions as kafkajs's metadata lists them. */
export function partitionMetadata(partitions: number): PartitionMetadata[] {
  return Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));
}

/** The partition kafkajs's default (murmur2) partitioner gives a key, as the roles' producer does. */
export function partitionOf(key: string, partitions: number): number {
  return Partitioners.DefaultPartitioner()({
    topic: 'any',
    partitionMetadata: partitionMetadata(partitions),
    message: { key, value: null },
  });
}

/**
 * Tenant ids the producer's murmur2 partitioner puts on each partition of a topic with `partitions`
 * partitions, `perPartition` of them each: `[partition][index]`.
 */
export function tenantsByPartition(partitions: number, perPartition: number): string[][] {
  const tenants: string[][] = Array.from({ length: partitions }, () => []);
  for (let i = 0; tenants.some((list) => list.length < perPartition); i++) {
    const tenant = `tenant-${i}`;
    const list = tenants[partitionOf(tenant, partitions)];
    if (list && list.length < perPartition) list.push(tenant);
  }
  return tenants;
}
