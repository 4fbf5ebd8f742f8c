/**
 * The JSON schemas of the API, shared by validation, serialisation (fast-json-stringify keeps
 * only the declared fields: nothing undeclared can leak into a response) and the OpenAPI
 * document at `/api/openapi.json`.
 */
import { DataClasses } from '../dataclasses.js';
import { LANGS } from '../guidance/index.js';
import { MAX_ACCOUNT_LENGTH } from './account.js';

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const int = { type: 'integer', minimum: 0 } as const;

export const dataClassNames = Object.values(DataClasses).sort();

/** Have I Been Pwned's breach model, field for field (API v3). */
export const breachSchema = {
  $id: 'Breach',
  type: 'object',
  description: "A breach, in Have I Been Pwned's breach model (API v3)",
  properties: {
    Name: str,
    Title: str,
    Domain: str,
    BreachDate: { type: ['string', 'null'], description: 'YYYY-MM-DD; null when unknown' },
    AddedDate: str,
    ModifiedDate: str,
    PwnCount: int,
    Description: str,
    LogoPath: str,
    Attribution: { type: ['string', 'null'] },
    DataClasses: { type: 'array', items: str },
    IsVerified: bool,
    IsFabricated: bool,
    IsSensitive: bool,
    IsRetired: bool,
    IsSpamList: bool,
    IsMalware: bool,
    IsSubscriptionFree: bool,
    IsStealerLog: bool,
  },
  required: [
    'Name',
    'Title',
    'Domain',
    'BreachDate',
    'AddedDate',
    'ModifiedDate',
    'PwnCount',
    'Description',
    'LogoPath',
    'Attribution',
    'DataClasses',
    'IsVerified',
    'IsFabricated',
    'IsSensitive',
    'IsRetired',
    'IsSpamList',
    'IsMalware',
    'IsSubscriptionFree',
    'IsStealerLog',
  ],
  additionalProperties: false,
} as const;

const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'Every error: a small JSON object',
  properties: { statusCode: { type: 'integer' }, error: str, code: str, message: str },
  required: ['statusCode', 'error', 'code', 'message'],
  additionalProperties: false,
} as const;

const guidanceSchema = {
  $id: 'Guidance',
  type: 'object',
  description: 'What a data class in criminal hands makes possible, and what to do',
  properties: {
    dataClass: str,
    label: str,
    risk: str,
    actions: { type: 'array', items: str },
    resources: {
      type: 'array',
      items: { type: 'object', properties: { name: str, url: str }, required: ['name', 'url'], additionalProperties: false },
    },
  },
  required: ['dataClass', 'label', 'risk', 'actions', 'resources'],
  additionalProperties: false,
} as const;

/** The path parameter of account lookups: bounded before anything parses it. */
export const accountParams = {
  type: 'object',
  properties: { account: { type: 'string', maxLength: MAX_ACCOUNT_LENGTH * 3, description: 'an email address or a phone number, URL-encoded' } },
  required: ['account'],
} as const;

export const langQuery = { type: 'string', enum: LANGS as unknown as string[], default: 'fr' } as const;

/** Error responses every route may give, by status. */
export function errors(...statuses: number[]): Record<number, { $ref: string }> {
  return Object.fromEntries(statuses.map((s) => [s, { $ref: 'Error#' }]));
}

export const shared = [breachSchema, errorSchema, guidanceSchema];
