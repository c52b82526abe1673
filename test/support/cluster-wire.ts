import type { StateHub } from '../../src/cluster/state-hub.js';
import { ClusterStore } from '../../src/state/cluster-store.js';

/** Worker `id`'s view of the primary's store, wired to its hub by in-process calls instead of IPC. */
export function workerStore(hub: StateHub, id: number): ClusterStore {
  const store: ClusterStore = new ClusterStore((msg) => {
    void hub.handle(id, msg).then((reply) => reply && queueMicrotask(() => store.receive(reply)));
  });
  return store;
}
