import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';

/**
 * A JSON option's value (`--model`, `--spec`): inline when it looks like JSON, otherwise the path
 * of a JSON file. Failures are one-line CliErrors naming the flag.
 */
export async function readJsonOption(flag: string, text: string): Promise<unknown> {
  const inline = /^\s*[{[]/.test(text);
  let json = text;
  if (!inline) {
    try {
      json = await readFile(text, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (error as Error).message);
      throw new CliError(`${flag} ${JSON.stringify(text)} is neither inline JSON nor a readable file (${why})`);
    }
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new CliError(`${inline ? flag : `${flag} file ${text}`} is not valid JSON: ${(error as Error).message}`);
  }
}
