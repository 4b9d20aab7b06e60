import crypto from 'node:crypto';

/** The fields of an `activity_daily` document that decide whether it counts. */
export interface FoldableDoc {
  /** Contribution key; a compacted document's starts with `*`. */
  k: string;
  /** Keys folded into a compacted document. */
  ks?: string[] | null;
}

/** Whether a stored contribution key is a compacted document's. */
export function isCompacted(doc: FoldableDoc): boolean {
  return doc.k.startsWith('*');
}

/**
 * Of one learner-week's documents, those whose days count: compacted documents, largest first, as long
 * as none of their keys is already covered, then every contribution no counted compacted document
 * covers. While a compaction is half done (merged document written, sources not yet deleted) or a
 * contribution is delivered again after compaction, the covered documents are left out, so nothing is
 * counted twice. One document (the common case) is returned as is.
 */
export function countedDocs<T extends FoldableDoc>(docs: T[]): T[] {
  if (docs.length < 2) return docs;
  const compacted = docs.filter(isCompacted).sort((a, b) => (b.ks?.length ?? 0) - (a.ks?.length ?? 0));
  if (!compacted.length) return docs;
  const covered = new Set<string>();
  const counted: T[] = [];
  for (const doc of compacted) {
    const keys = doc.ks ?? [];
    if (keys.some((k) => covered.has(k))) continue;
    for (const k of keys) covered.add(k);
    counted.push(doc);
  }
  for (const doc of docs) if (!isCompacted(doc) && !covered.has(doc.k)) counted.push(doc);
  return counted;
}

/** Every contribution key the counted documents stand for, sorted (a compacted document's `ks`). */
export function foldedKeys(counted: FoldableDoc[]): string[] {
  const keys = new Set<string>();
  for (const doc of counted) for (const k of isCompacted(doc) ? (doc.ks ?? []) : [doc.k]) keys.add(k);
  return [...keys].sort();
}

/** The key of the compacted document standing for these contribution keys: `*` + a hash, the same on every rerun. */
export function compactedKey(keys: string[]): string {
  return `*${crypto.createHash('sha256').update(keys.join('\n')).digest('base64url').slice(0, 22)}`;
}
