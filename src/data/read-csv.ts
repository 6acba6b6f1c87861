import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { DataError } from './data-error.js';

/** What `readCsv` calls as the file streams by. Handlers may throw to stop reading. */
export interface CsvHandlers {
  /** The first record: the column names. */
  onHeader(columns: readonly string[]): void;
  /**
   * One data record, its cells as raw strings, with the 1-based line it ends on. If it returns a
   * promise, reading waits for it (so an asynchronous consumer keeps memory bounded); any other
   * return value is ignored.
   */
  onRow(cells: readonly string[], line: number): unknown;
  /**
   * Bytes of the file read so far (compressed bytes for a gzip file) out of its size; called
   * once per chunk read, so it is cheap enough to drive a progress bar.
   */
  onProgress?(bytesRead: number, totalBytes: number): void;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function openError(error: unknown): DataError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : error instanceof Error
            ? error.message
            : String(error);
  return new DataError(`cannot read the file: ${why}`);
}

async function openFile(path: string): Promise<{ handle: FileHandle; size: number; gzip: boolean }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openError(error);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const magic = bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    return { handle, size: stat.size, gzip: magic || path.endsWith('.gz') };
  } catch (error) {
    await handle.close();
    throw openError(error);
  }
}

/** Turns stream failures into DataErrors; a handler's own errors pass through unchanged. */
function streamError(error: unknown): unknown {
  if (error instanceof CsvError) return new DataError(`not valid CSV: ${error.message}`);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new DataError(`cannot decompress gzip: ${(error as Error).message}`);
  }
  return error;
}

/**
 * Streams a CSV file (plain, or gzip by extension or magic bytes) record by record, with
 * backpressure: only a few chunks are ever in memory, so a file larger than memory works. Cells
 * are raw strings (no casting, which is both faster and leaves the conversion to the caller).
 * Resolves with the number of data rows once the whole file has been handled. Problems with the
 * file are DataErrors whose messages leave the file's name to the caller.
 */
export async function readCsv(path: string, handlers: CsvHandlers): Promise<number> {
  const { handle, size, gzip } = await openFile(path);
  const file = handle.createReadStream({ start: 0 });
  const parser = parse({ bom: true, skip_empty_lines: true });
  // csv-parse's `info` option costs a snapshot object per record; reading the live line counter
  // when each record is emitted costs nothing and is exact unless a quoted cell spans lines.
  const emit = parser.push.bind(parser);
  parser.push = (record: unknown) => emit(record === null ? null : [parser.info.lines, record]);

  let header = false;
  let rows = 0;
  const sink = new Writable({
    objectMode: true,
    write([line, cells]: [number, string[]], _encoding, done) {
      try {
        if (header) {
          const pending = handlers.onRow(cells, line);
          rows++;
          if (pending instanceof Promise) {
            pending.then(() => done(), done);
            return;
          }
        } else {
          handlers.onHeader(cells);
          header = true;
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });

  const done = gzip ? pipeline(file, createGunzip(), parser, sink) : pipeline(file, parser, sink);
  if (handlers.onProgress !== undefined) {
    const report = handlers.onProgress;
    file.on('data', () => report(file.bytesRead, size));
  }
  try {
    await done;
  } catch (error) {
    throw streamError(error);
  }
  if (!header) throw new DataError('the file is empty: expected a header line with the column names');
  return rows;
}
