/**
 * An expected failure of a command (bad option, unreadable file, invalid spec): `main.ts` prints
 * its message as one line, `eddy <command>: <message>`, with no stack trace, and exits with
 * `exitCode`. Anything else a command throws is a bug and is reported as an internal error.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** @default 2, the exit code for usage and input errors */
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
