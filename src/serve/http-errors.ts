/**
 * Every error the server answers is one small JSON object, HIBP's shape plus Vigie's code:
 * `{"statusCode":400,"error":"Bad Request","code":"VIGIE_BAD_ACCOUNT","message":"..."}`.
 * Messages never repeat the request's path, query or body.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { type ErrorCode, ErrorCodes, isVigieError } from '../errors.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
}

function errorBody(code: ErrorCode, message: string, status: number = ErrorCodes[code].http): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', code, message };
}

/**
 * The same small JSON error written straight to a socket, for the answers Node gives before
 * (or instead of) a request Fastify sees: a client error, a request that timed out.
 */
export function rawErrorResponse(status: number, message: string): string {
  const body = JSON.stringify(errorBody('VIGIE_BAD_REQUEST', message, status));
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, status?: number): FastifyReply {
  const body = errorBody(code, message, status);
  return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}

/** The 429 of the HIBP API, with `retry-after` in seconds (HIBP's header and wording). */
export function sendRateLimited(reply: FastifyReply, retryAfter: number): FastifyReply {
  reply.header('retry-after', String(retryAfter));
  return sendError(reply, 'VIGIE_RATE_LIMITED', `Rate limit is exceeded. Try again in ${retryAfter} seconds.`);
}

/** Fastify's own error codes, mapped to what a client is told. */
const FASTIFY_ERRORS: Record<string, [ErrorCode, number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['VIGIE_BAD_REQUEST', 413, 'the request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['VIGIE_BAD_REQUEST', 415, 'unsupported content type: send application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['VIGIE_BAD_REQUEST', 400, 'the request body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['VIGIE_BAD_REQUEST', 400, 'the request body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['VIGIE_BAD_REQUEST', 400, 'the content length does not match the body'],
  FST_ERR_BAD_URL: ['VIGIE_BAD_REQUEST', 400, 'the URL is not valid (malformed percent-encoding)'],
  FST_ERR_ASYNC_CONSTRAINT: ['VIGIE_BAD_REQUEST', 400, 'the request cannot be routed'],
};

/** What to answer for an error thrown by a route or by Fastify. */
export function describeError(e: unknown): { body: ErrorBody; internal: boolean } {
  if (isVigieError(e)) return { body: errorBody(e.code, e.message), internal: e.code === 'VIGIE_INTERNAL' };
  const err = e as { code?: unknown; validation?: unknown; validationContext?: unknown; statusCode?: unknown };
  if (err.validation) {
    // Ajv's messages name the field and the rule, never the value.
    const where = typeof err.validationContext === 'string' ? err.validationContext : 'request';
    const detail = (e as Error).message.replace(/^(querystring|params|body|headers)\/?/, '');
    return { body: errorBody('VIGIE_BAD_REQUEST', `invalid ${where}: ${detail}`.slice(0, 300)), internal: false };
  }
  const known = typeof err.code === 'string' ? FASTIFY_ERRORS[err.code] : undefined;
  if (known) return { body: errorBody(known[0], known[2], known[1]), internal: false };
  if (e instanceof SyntaxError || (typeof err.statusCode === 'number' && err.statusCode === 400)) {
    // A JSON.parse message quotes the body: never pass it on.
    return { body: errorBody('VIGIE_BAD_REQUEST', 'the request is malformed'), internal: false };
  }
  return { body: errorBody('VIGIE_INTERNAL', 'internal error'), internal: true };
}
