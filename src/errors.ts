/**
 * The one catalogue of Vigie's errors. Every error a user can cause has a stable code,
 * an exit code for the CLI and an HTTP status (for the HTTP API, which is not built yet),
 * mapped here and nowhere else. `docs/errors.md` is generated from it: `npm run docs:errors`.
 *
 * Messages must never contain a leaked value: they name files, positions and causes only.
 */
export const ErrorCodes = {
  VIGIE_USAGE: { exit: 2, http: 400, summary: 'invalid command-line usage' },
  VIGIE_FILE_NOT_FOUND: { exit: 66, http: 404, summary: 'input file not found or unreadable' },
  VIGIE_EMPTY_FILE: { exit: 65, http: 422, summary: 'input file is empty' },
  VIGIE_BAD_FORMAT: { exit: 65, http: 422, summary: 'input file is not in a readable format' },
  VIGIE_BAD_ENCODING: { exit: 65, http: 422, summary: 'input text encoding cannot be decoded' },
  VIGIE_TRUNCATED: { exit: 65, http: 422, summary: 'input file is truncated' },
  VIGIE_SYNTAX: { exit: 65, http: 422, summary: 'syntax error in input file' },
  VIGIE_TOO_LARGE: { exit: 65, http: 413, summary: 'input exceeds a safety limit' },
  VIGIE_UNSAFE_ARCHIVE: { exit: 65, http: 422, summary: 'archive is unsafe to expand' },
  VIGIE_TOO_MANY_SKIPPED: { exit: 65, http: 422, summary: 'too many malformed records' },
  VIGIE_BAD_ACCOUNT: { exit: 2, http: 400, summary: 'the looked-up value is neither an email address nor a phone number' },
  VIGIE_NOT_SEARCHABLE: { exit: 2, http: 400, summary: 'the looked-up value is a quasi-identifier, never searchable' },
  VIGIE_BAD_REQUEST: { exit: 2, http: 400, summary: 'malformed HTTP request' },
  VIGIE_UNAUTHORIZED: { exit: 77, http: 401, summary: 'API key missing or unknown' },
  VIGIE_FORBIDDEN: { exit: 77, http: 403, summary: 'request refused' },
  VIGIE_METHOD: { exit: 2, http: 405, summary: 'method not allowed on this route' },
  VIGIE_RATE_LIMITED: { exit: 75, http: 429, summary: 'rate limit exceeded' },
  VIGIE_BAD_TOKEN: { exit: 2, http: 400, summary: 'a confirmation or unsubscribe link is invalid, expired or no longer in use' },
  VIGIE_ALERTS_OFF: { exit: 78, http: 503, summary: 'alerts are not configured (VIGIE_PUBLIC_URL, VIGIE_SMTP_URL, VIGIE_MAIL_FROM)' },
  VIGIE_CONFIG: { exit: 78, http: 500, summary: 'invalid configuration' },
  VIGIE_KEY: { exit: 77, http: 500, summary: 'secret key missing or unsafe' },
  VIGIE_STORE: { exit: 74, http: 503, summary: 'store unavailable or failed' },
  VIGIE_NOT_FOUND: { exit: 1, http: 404, summary: 'no such object' },
  VIGIE_CONFLICT: { exit: 1, http: 409, summary: 'conflicting state' },
  VIGIE_INTERNAL: { exit: 70, http: 500, summary: 'internal error' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** Where in an input a problem was found. Every field is optional but `file`. */
export interface Position {
  file: string;
  /** 1-based line number in the decoded text, when the format has lines. */
  line?: number;
  /** 0-based byte offset in the (decompressed) stream, when known. */
  byte?: number;
  /** 1-based record number within the table, when known. */
  record?: number;
  /** Table name within a multi-table source (SQL dump, archive member). */
  table?: string;
}

export function formatPosition(p: Position): string {
  const parts = [p.file];
  if (p.table !== undefined) parts.push(`table ${p.table}`);
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.record !== undefined) parts.push(`record ${p.record}`);
  if (p.byte !== undefined) parts.push(`byte ${p.byte}`);
  return parts.join(', ');
}

/** An error Vigie expected and can explain. `message` is safe to print: no leaked value. */
export class VigieError extends Error {
  readonly code: ErrorCode;
  readonly position: Position | undefined;
  constructor(code: ErrorCode, message: string, options?: { position?: Position; cause?: unknown }) {
    super(options?.position ? `${formatPosition(options.position)}: ${message}` : message, {
      cause: options?.cause,
    });
    this.name = 'VigieError';
    this.code = code;
    this.position = options?.position;
  }
  get exitCode(): number {
    return ErrorCodes[this.code].exit;
  }
  get httpStatus(): number {
    return ErrorCodes[this.code].http;
  }
}

export function isVigieError(e: unknown): e is VigieError {
  return e instanceof VigieError;
}

/** What a system error code (errno) means, in words safe to print: the one mapping. */
const SYSTEM_CAUSES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
};

/** The words for a system error code, or undefined when it has none. @example systemCause('ENOENT') // 'no such file' */
export function systemCause(code: string): string | undefined {
  return Object.hasOwn(SYSTEM_CAUSES, code) ? SYSTEM_CAUSES[code] : undefined;
}
