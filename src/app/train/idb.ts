/** A few object stores in one IndexedDB database, usable from the page and from workers. */
const DB_NAME = 'gradsheet';
const STORES = ['runs', 'checkpoints', 'models', 'reports'] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | null = null;

const open = (): Promise<IDBDatabase> =>
  (opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      for (const s of STORES)
        if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
    };
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      opening = null;
      reject(req.error ?? new Error('IndexedDB would not open'));
    };
  }));

const run = async <T>(
  store: StoreName,
  mode: IDBTransactionMode,
  act: (s: IDBObjectStore) => IDBRequest,
): Promise<T> => {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = act(tx.objectStore(store));
    tx.oncomplete = () => {
      resolve(req.result as T);
    };
    tx.onerror = () => {
      reject(tx.error ?? new Error(`IndexedDB ${store}: the transaction failed`));
    };
    tx.onabort = () => {
      reject(tx.error ?? new Error(`IndexedDB ${store}: the transaction was aborted (disk full?)`));
    };
  });
};

export const idbGet = <T>(store: StoreName, key: string): Promise<T | undefined> =>
  run<T | undefined>(store, 'readonly', (s) => s.get(key));

export const idbPut = async (store: StoreName, key: string, value: unknown): Promise<void> => {
  await run(store, 'readwrite', (s) => s.put(value, key));
};

export const idbAll = <T>(store: StoreName): Promise<T[]> =>
  run<T[]>(store, 'readonly', (s) => s.getAll());

export const idbDelete = async (store: StoreName, key: string): Promise<void> => {
  await run(store, 'readwrite', (s) => s.delete(key));
};

/** Deletes every key that starts with `prefix` (a run's checkpoints, models and reports). */
export const idbDeletePrefix = async (store: StoreName, prefix: string): Promise<void> => {
  await run(store, 'readwrite', (s) => s.delete(IDBKeyRange.bound(prefix, `${prefix}\uffff`)));
};
