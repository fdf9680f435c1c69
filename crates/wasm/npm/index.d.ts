// Types of keyline-engine: the report of `keyline run --json` (version 1), as Keyline's engine
// serialises it (crates/rules/src/report.rs). Field names are the JSON's own (snake_case).

/** Evaluates a scenario: the same report object as `keyline run --json`. Parse errors are in
 * `errors` (the other lines are still evaluated). Throws a `RangeError` with
 * `code: "TEXT_TOO_LARGE"` for a text over {@link MAX_TEXT} bytes. */
export function evaluate(text: string): Report;

/** The largest scenario `evaluate` accepts, in UTF-8 bytes (1,000,000: a share link's limit). */
export const MAX_TEXT: number;

/** A statement's verdict. */
export type Outcome = "ok" | "warn" | "fail";

/** The outcome codes of SPEC §3 (`null` for `ok`). */
export type Code =
  | "KMS_NOT_AUTHORIZED"
  | "NOT_SECURITY_ADMIN"
  | "ENCRYPTION_IMMUTABLE"
  | "ENCRYPTION_INHERITED"
  | "DEFAULT_KEY_PROTECTED"
  | "KEY_STATE_INVALID"
  | "INVALID_DELETION_WINDOW"
  | "KEY_UNAVAILABLE"
  | "KEY_DELETED"
  | "KEY_IN_USE"
  | "REATTACH_WILL_FAIL"
  | "DATA_UNRECOVERABLE"
  | "DISK_IN_USE"
  | "DISK_NOT_ATTACHED"
  | "SERVER_RUNNING"
  | "SYSTEM_DISK_PRESENT"
  | "NO_SYSTEM_DISK"
  | "NAME_TAKEN"
  | "UNKNOWN_RESOURCE"
  | "RESERVED_NAME";

/** The rule each verdict cites (`keyline rules ID` prints its text and source). */
export type RuleId =
  | "R-GRANT"
  | "R-GRANT-ADMIN"
  | "R-CHOOSE"
  | "R-IMMUTABLE"
  | "R-SNAP"
  | "R-FROM-SNAP"
  | "R-FROM-BACKUP"
  | "R-BACKUP"
  | "R-SYS-IMAGE"
  | "R-IMAGE-SERVER"
  | "R-IMAGE-IMPORT"
  | "R-AS"
  | "R-DEFAULT"
  | "R-KEY-STATES"
  | "R-USE-NEW"
  | "R-IN-USE"
  | "R-DETACH"
  | "R-REATTACH"
  | "R-RESTORE"
  | "R-DELETE"
  | "R-ATTACH"
  | "R-LIFECYCLE"
  | "R-NAMES"
  | "R-POWER";

export type Role = "member" | "security-admin";
export type KeyState = "enabled" | "disabled" | "pending-deletion" | "deleted";
export type Health = "healthy" | "at-risk" | "unattachable" | "unrecoverable";
export type Power = "running" | "stopped";
export type DiskRole = "system" | "data";
export type ParseErrorCode = "SYNTAX_ERROR" | "EXPECT_WITHOUT_STATEMENT" | "INVALID_UTF8";

/** Everything the engine says about one scenario. */
export interface Report {
  version: 1;
  title: string | null;
  steps: Step[];
  expectations: ExpectationReport[];
  /** Positioned parse errors; the other lines are still evaluated. */
  errors: ParseError[];
  summary: Summary;
  /** The state after the last line. */
  state: StateView;
}

/** One evaluated statement. */
export interface Step {
  /** 1-based line in the text. */
  line: number;
  /** The statement as the engine prints it. */
  statement: string;
  outcome: Outcome;
  code: Code | null;
  rule: RuleId;
  /** The sentence that explains the verdict. */
  message: string;
  /** Where the created resource's encryption came from, when it created one. */
  provenance?: string;
  /** Statement lines that, inserted just before this one, make it succeed. */
  fix?: string[];
}

/** One checked `expect` line. */
export interface ExpectationReport {
  line: number;
  /** The line as written. */
  text: string;
  passed: boolean;
  /** What the engine found instead (or the same, when passed). */
  actual: string;
}

/** A line that could not be parsed. */
export interface ParseError {
  line: number;
  /** 1-based, in characters. */
  column: number;
  code: ParseErrorCode;
  expected: string;
  found: string;
  /** "Did you mean …", when the word looks like a typo. */
  suggestion?: string;
  message: string;
}

/** Expectation counts: "N passed, M failed". */
export interface Summary {
  passed: number;
  failed: number;
}

/** The state at the end of the scenario. */
export interface StateView {
  day: number;
  kms_access: boolean;
  role: Role;
  keys: KeyView[];
  images: ImageView[];
  servers: ServerView[];
  disks: DiskView[];
  snapshots: CopyView[];
  backups: CopyView[];
  configs: ConfigView[];
}

/** Alias kept for readers who look for "State". */
export type State = StateView;

export interface KeyView {
  name: string;
  kind: "default" | "custom";
  state: KeyState;
  /** The day it will be (or was) deleted, once scheduled. */
  deletion_day: number | null;
  /** Days left until deletion, while pending. */
  days_left: number | null;
  line: number;
}

export interface ImageView {
  name: string;
  origin: "import" | "server";
  server: string | null;
  /** `"none"` or the key's name. */
  encryption: string;
  provenance: string;
  line: number;
}

export interface ServerView {
  name: string;
  power: Power;
  system_disk: string | null;
  data_disks: string[];
  origin: "image" | "config";
  /** The image's name, `"public"` for the public image. */
  image: string;
  config: string | null;
  /** The system disk's encryption (`"none"` without one). */
  encryption: string;
  line: number;
}

export interface DiskView {
  name: string;
  role: DiskRole;
  encryption: string;
  health: Health;
  attached_to: string | null;
  origin: "empty" | "image" | "snapshot" | "backup" | "config";
  source: string | null;
  provenance: string;
  line: number;
}

/** A snapshot or a backup. */
export interface CopyView {
  name: string;
  disk: string;
  encryption: string;
  provenance: string;
  line: number;
}

export interface ConfigView {
  name: string;
  server: string;
  image: string;
  encryption: string;
  data_encryption: string[];
  provenance: string;
  line: number;
}
