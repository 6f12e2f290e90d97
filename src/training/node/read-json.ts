import { readFile } from 'node:fs/promises';
import { DataFileError } from '../data/idx.ts';

/** What went wrong reading a file, in a user's words (missing, a folder, not allowed, …). */
export const fileProblem = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'missing';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'not readable (permission denied)';
  return `cannot be read (${(err as Error).message})`;
};

/**
 * A JSON file a run reads back; missing, empty, truncated or not JSON is a `DataFileError`
 * naming the file. The file is never changed.
 */
export const readJson = async (path: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DataFileError(`${path}: ${fileProblem(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const what = text.trim() === '' ? 'empty' : `not valid JSON (${(err as Error).message})`;
    throw new DataFileError(`${path}: ${what}; it may be truncated or damaged`);
  }
};
