/**
 * Partition choice. A keyed message goes where the Java client would put it (kafkajs's
 * DefaultPartitioner: murmur2 of the key), so producers outside this project agree with us. A keyless
 * message sticks to one partition per topic and moves on after `switchBytes` (as the Java client's
 * uniform sticky partitioner does): requests carry fewer, bigger partition batches, and a burst of
 * keyless messages from one producer stays in order, while load still spreads over time.
 */
import { type ICustomPartitioner, Partitioners } from 'kafkajs';

export function stickyPartitioner(switchBytes: number): ICustomPartitioner {
  return () => {
    const byKey = Partitioners.DefaultPartitioner();
    const sticky = new Map<string, { partition: number; bytes: number }>();
    return (args) => {
      const { topic, partitionMetadata, message } = args;
      if (message.partition != null || message.key != null) return byKey(args);
      const available = partitionMetadata.filter((p) => p.leader >= 0);
      const choices = available.length > 0 ? available : partitionMetadata;
      let current = sticky.get(topic);
      const stillThere = current && choices.some((p) => p.partitionId === current!.partition);
      if (!current || !stillThere || current.bytes >= switchBytes) {
        const pick = choices[Math.floor(Math.random() * choices.length)];
        current = { partition: pick?.partitionId ?? 0, bytes: 0 };
        sticky.set(topic, current);
      }
      current.bytes += message.value?.length ?? 0;
      return current.partition;
    };
  };
}
