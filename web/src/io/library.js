// Named models kept in the browser (IndexedDB, through idb-keyval): bytes, a title and when.
import { createStore, del, entries, set } from 'idb-keyval';

const store = typeof indexedDB === 'undefined' ? null : createStore('rnnlab-playground', 'models');

/** @returns {Promise<{name: string, bytes: Uint8Array, savedAt: string, summary: string}[]>} */
export async function listModels() {
  if (!store) return [];
  const all = await entries(store);
  return all.map(([, v]) => v).sort((a, b) => String(b.savedAt).localeCompare(String(a.savedAt)));
}

export async function keepModel(name, bytes, summary) {
  if (!store) throw new Error('this browser has no IndexedDB storage');
  await set(name, { name, bytes, summary, savedAt: new Date().toISOString() }, store);
}

export async function forgetModel(name) {
  if (store) await del(name, store);
}
