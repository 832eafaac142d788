import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Why a local file was not read; `code` is an errno code (ENOENT, EACCES, EISDIR) or one of the two below. */
export class LocalFileError extends Error {
  constructor(readonly code: 'NOT_REGULAR' | 'TOO_LARGE' | string) {
    super(code);
  }
}

function regularWithin(stats: Stats, maxBytes: number): void {
  if (stats.isDirectory()) throw new LocalFileError('EISDIR');
  if (!stats.isFile()) throw new LocalFileError('NOT_REGULAR');
  if (stats.size > maxBytes) throw new LocalFileError('TOO_LARGE');
}

/** O_NONBLOCK and O_NOCTTY where the platform has them (all Unix systems Node runs on). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * The text of a small local regular file (a secret, a PEM file, a cache entry), read so that no
 * file can stop the run: reading is synchronous, so a named pipe, a terminal or a device that never
 * ends would hold the process past its --timeout, with the timer that should end it never firing.
 * Opening a named pipe for reading even blocks until a writer comes. So the path is looked at
 * before it is opened (its type and size), opened without blocking (should it be swapped for a
 * pipe in between, the open returns at once), looked at again through the descriptor, and read at
 * most `maxBytes` + 1 bytes: a file that grows after the look is cut off, not read for ever.
 */
export function readSmallRegularFile(path: string, maxBytes: number): string {
  let fd: number | undefined;
  try {
    regularWithin(statSync(path), maxBytes);
    fd = openSync(path, OPEN_FLAGS);
    regularWithin(fstatSync(fd), maxBytes);
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length <= maxBytes; length += read) read = readSync(fd, buffer, length, maxBytes + 1 - length, null);
    if (length > maxBytes) throw new LocalFileError('TOO_LARGE');
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof LocalFileError) throw error;
    throw new LocalFileError((error as NodeJS.ErrnoException).code ?? 'EIO');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
