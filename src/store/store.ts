/**
 * The store: what Vigie keeps, behind one interface with two engines (SQLite, PostgreSQL).
 * It never holds a leaked value: only 16-byte keyed pseudonyms, per-pseudonym data-class masks
 * (bits from `DataClassBits`), the breach catalogue and aggregate statistics.
 */
import type { DataClassKey, DataClassName } from '../dataclasses.js';
import type { AlertStore } from './alerts.js';
import type { DomainAlias, DomainStore } from './domains.js';

/** A breach as Have I Been Pwned's API v3 describes it (same field names and meanings). */
export interface Breach {
  Name: string;
  Title: string;
  Domain: string;
  /** The day the breach happened (YYYY-MM-DD), null when unknown. */
  BreachDate: string | null;
  /** When Vigie first published it (ISO 8601, seconds, UTC). */
  AddedDate: string;
  /** When its data last changed (a commit, a retirement). */
  ModifiedDate: string;
  /**
   * People affected: distinct persons over all its files (an appended file adds only persons
   * new to the leak, counted from its people sketch, ADR 0002, addendum); `BreachStats.peopleStandardError`
   * says when it is an estimate.
   */
  PwnCount: number;
  Description: string;
  LogoPath: string;
  DataClasses: DataClassName[];
  IsVerified: boolean;
  IsFabricated: boolean;
  IsSensitive: boolean;
  IsRetired: boolean;
  IsSpamList: boolean;
  IsMalware: boolean;
  IsSubscriptionFree: boolean;
  IsStealerLog: boolean;
}

/** What the caller says about a breach when loading it. Omitted fields keep their value (or a default). */
export interface BreachInput {
  /** Letters, digits, `.`, `_`, `-`; 1 to 64 characters; unique regardless of case. */
  Name: string;
  Title?: string;
  Domain?: string;
  BreachDate?: string | null;
  Description?: string;
  LogoPath?: string;
  IsVerified?: boolean;
  IsFabricated?: boolean;
  IsSensitive?: boolean;
  IsSpamList?: boolean;
  IsMalware?: boolean;
  IsSubscriptionFree?: boolean;
  IsStealerLog?: boolean;
}

/** Aggregate statistics of the files of one load, computed by the ingest. Counts only, no value. */
export interface LoadStats {
  /** Records read, malformed ones included. */
  records: number;
  /** Malformed records skipped. */
  skipped: number;
  /** People, as the ingest counts them. In a breach's stats: its `PwnCount`. */
  people: number;
  /** Present when `people` is an estimate: its relative standard error. */
  peopleStandardError?: number;
  /** Records holding at least one valid value of the class. */
  classCounts: Partial<Record<DataClassKey, number>>;
  /** Values that looked like the class but failed validation (validity = valid / (valid + invalid)). */
  invalidCounts: Partial<Record<DataClassKey, number>>;
  /** Source formats, such as `csv`, `sql`, `json`. */
  formats: string[];
}

/** A breach's statistics: its loads' stats summed, plus what only the store can count. */
export interface BreachStats extends LoadStats {
  /** Distinct pseudonyms stored for the breach (exact, whatever the duplicates and appends). */
  identifiers: number;
  /** Committed loads. */
  loads: number;
}

/** One input file of a breach, known by its SHA-256. */
export interface BreachFile {
  digest: string;
  addedAt: string;
}

export interface BreachEntry {
  breach: Breach;
  stats: BreachStats;
  files: BreachFile[];
}

/** A lookup hit: a visible breach and the classes exposed with that identifier there. */
export interface Exposure {
  breach: string;
  /** Bit mask over `DataClassBits`, OR-merged over the breach's duplicates and appended files. */
  mask: number;
}

export interface LoadRequest {
  breach: BreachInput;
  /** Add files to an existing breach (masks merge per pseudonym); otherwise a new breach. */
  append: boolean;
  /** SHA-256 (64 lowercase hex digits) of each input file of this load. */
  fileDigests: string[];
}

/**
 * A load in progress. Nothing it writes is visible until `commit`, which publishes the whole
 * load at once; a crash or `abort` leaves the store as it was.
 */
export interface Load {
  readonly breach: string;
  /** Files of the request already committed for this breach: skip them. */
  readonly knownDigests: readonly string[];
  /** Files this load will add. Empty: nothing to do, `commit` changes nothing. */
  readonly newDigests: readonly string[];
  /**
   * Stages pseudonyms (n × 16 bytes) and their record masks (n entries). Call it as often as
   * needed, from several producers if need be; the same pseudonym may come many times.
   */
  write(pseudonyms: Buffer, masks: Uint32Array): Promise<void>;
  /**
   * Stages the sealed aliases of addresses on verified domains (ADR 0008), kept in memory (they
   * are few: verified domains only) and written by `commit` in the publishing transaction.
   */
  writeAliases(rows: readonly DomainAlias[]): void;
  /**
   * Publishes everything written, atomically, with the load's statistics. `people` is the
   * load's people sketch (src/sketch.ts, keyed values only): merged with the leak's, it makes
   * `PwnCount` count distinct persons across appended files. Without one (or for a leak kept
   * without one) `PwnCount` adds the load's `people`.
   */
  commit(stats: LoadStats, people?: Uint8Array): Promise<CommitResult>;
  /** Drops everything written. Safe to call twice or after a failed commit. */
  abort(): Promise<void>;
}

export interface CommitResult {
  /** False when every file was already committed (the ingest was a repeat). */
  changed: boolean;
  /** Pseudonyms new to this breach. */
  inserted: number;
  entry: BreachEntry;
}

export type RunStatus = 'running' | 'committed' | 'failed' | 'aborted';

/** One ingest attempt, for the operator's history. `error` is a VigieError message: no leaked value. */
export interface IngestRun {
  id: string;
  breach: string;
  status: RunStatus;
  inputDigests: string[];
  startedAt: string;
  finishedAt?: string | undefined;
  error?: string | undefined;
}

/**
 * An API key of the HTTP API, as the store keeps it: a label, its rate, and the SHA-256 of the
 * key. The key itself is shown once, when created, and never stored.
 */
export interface ApiKey {
  /** Letters, digits, `.`, `_`, `-`; 1 to 64 characters; unique regardless of case. */
  name: string;
  /** SHA-256 of the key, 64 lowercase hex digits. */
  hash: string;
  /** Requests per minute allowed to this key. */
  rpm: number;
  createdAt: string;
  lastUsedAt: string | null;
  /** May use the operators' outbox API (`vigie apikey create --operator`). */
  operator: boolean;
}

/**
 * A statement by the operator (the organisation profile, what it says about an incident): a
 * JSON object that `notify` validates, never a leaked value. The store keeps it as given.
 */
export type Statement = { [field: string]: unknown };

/** A statement as the store keeps it, with when it was last set. */
export interface StoredStatement {
  value: Statement;
  updatedAt: string;
}

/** The whole store; subscriptions and the outbox are declared apart, in `alerts.ts`. */
export interface Store extends AlertStore, DomainStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Applies pending migrations (also run by `openStore`); returns the schema version. Idempotent. */
  migrate(): Promise<number>;
  /**
   * Binds the store to a key fingerprint on first use, then refuses (`VIGIE_KEY`) any other:
   * pseudonyms from another key would never match.
   */
  checkKey(fingerprint: string): Promise<void>;
  /** The catalogue, by name; retired breaches only on request. */
  listBreaches(options?: { includeRetired?: boolean }): Promise<BreachEntry[]>;
  /** One breach by name (any case), retired or not. */
  getBreach(name: string): Promise<BreachEntry | undefined>;
  /** Removes a breach, its files and every pseudonym row. `VIGIE_NOT_FOUND` if absent. */
  deleteBreach(name: string): Promise<void>;
  /**
   * Retires a breach as HIBP does: it stays in the catalogue (IsRetired) but its data is
   * permanently removed, so lookups no longer return it. Idempotent.
   */
  retireBreach(name: string): Promise<BreachEntry>;
  /** Starts a load; `VIGIE_CONFLICT` if the breach exists (without `append`) or is retired. */
  beginLoad(request: LoadRequest): Promise<Load>;
  /** The committed, non-retired breaches holding this pseudonym, by breach name. */
  lookup(pseudonym: Buffer): Promise<Exposure[]>;
  /**
   * Batched lookup in one breach, for matching a whole customer file: `pseudonyms` is n × 16
   * bytes; the answer holds n masks in the same order, 0 where the pseudonym is absent (a stored
   * mask is never 0). A retired breach holds nothing; `VIGIE_NOT_FOUND` if there is no such breach.
   */
  lookupMany(breach: string, pseudonyms: Buffer): Promise<Uint32Array>;
  /** Inserts or updates (by id) an ingest run. */
  recordRun(run: IngestRun): Promise<void>;
  /** Runs, newest first. */
  listRuns(options?: { breach?: string; limit?: number }): Promise<IngestRun[]>;
  /** Adds an API key; `VIGIE_CONFLICT` if its name (any case) or hash is taken. */
  createApiKey(key: { name: string; hash: string; rpm: number; operator?: boolean }): Promise<ApiKey>;
  /** Every API key, by name. */
  listApiKeys(): Promise<ApiKey[]>;
  /** Deletes an API key by name (any case); `VIGIE_NOT_FOUND` if absent. */
  revokeApiKey(name: string): Promise<void>;
  /** Records when keys were last used (hash → ISO date); unknown hashes are ignored. */
  touchApiKeys(lastUsed: ReadonlyMap<string, string>): Promise<void>;
  /** The organisation profile (`vigie org set`), undefined until one is set. */
  getOrgProfile(): Promise<StoredStatement | undefined>;
  /** Replaces the organisation profile (callers merge first). `VIGIE_USAGE` if not a JSON object within limits. */
  setOrgProfile(profile: Statement): Promise<StoredStatement>;
  /** What the operator stated about the incident behind a breach (any case), undefined if nothing. */
  getIncident(breach: string): Promise<StoredStatement | undefined>;
  /**
   * Replaces the incident statement of a breach name (callers merge first). The breach need not
   * be ingested yet: an organisation documents an incident before it holds the file.
   */
  setIncident(breach: string, incident: Statement): Promise<StoredStatement>;
  close(): Promise<void>;
}

/** What `openStore` passes in: the world, not globals. */
export interface StoreOptions {
  /** The clock, for dates in the catalogue and runs. */
  now?: () => Date;
  /** PostgreSQL schema to use (created if missing); default `vigie`. */
  schema?: string;
  /** SQLite: how long a writer waits for another process's write lock. */
  busyTimeoutMs?: number;
  /** SQLite, internal tuning for tests: rows per sorted run of a load, and runs kept before they are merged. */
  sqliteRuns?: { runRows?: number; maxRuns?: number };
}
