import { constants } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from './args.ts';

/** Why a path cannot be written, in a user's words. */
export const writeProblem = (err: unknown): string => {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (err as Error).message;
  }
};

/** A Node file-system error (it carries a code and the path it was about). */
export const isFsError = (err: unknown): err is NodeJS.ErrnoException & { path: string } =>
  err instanceof Error &&
  typeof (err as NodeJS.ErrnoException).code === 'string' &&
  typeof (err as NodeJS.ErrnoException).path === 'string';

/** Writes the file a `--flag FILE` asked for; a path that cannot be written is a `UsageError`. */
export const writeOutput = async (
  flag: string,
  path: string,
  data: string | Uint8Array,
): Promise<void> => {
  try {
    await writeFile(path, data);
  } catch (err) {
    throw new UsageError(`--${flag} ${path}: cannot write it (${writeProblem(err)})`);
  }
};

/** Checks up front that `--flag FILE` can be written, before minutes of work that end in it. */
export const checkWritable = async (flag: string, path: string): Promise<void> => {
  try {
    if ((await stat(path).catch(() => null))?.isDirectory())
      throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    if (!(await stat(dirname(path))).isDirectory())
      throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await access(dirname(path), constants.W_OK);
  } catch (err) {
    throw new UsageError(`--${flag} ${path}: cannot write it (${writeProblem(err)})`);
  }
};

/** Creates the `--flag DIR` folder (and its parents); one that cannot be made is a `UsageError`. */
export const makeOutputDir = async (flag: string, dir: string): Promise<void> => {
  if (dir.trim() === '') throw new UsageError(`--${flag} needs a folder name, got an empty one`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(
      `--${flag} ${dir}: cannot create or write the folder (${writeProblem(err)})`,
    );
  }
};
