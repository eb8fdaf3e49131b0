/**
 * What a script parser (shell `run:` scripts, github-script `script:` bodies) reports about the dispatches it
 * finds, before any `${{ }}` or `$VAR` is resolved. Offsets are into the script text the parser was given, so
 * the caller can map them back to YAML positions.
 */

/** A half-open range [start, end) of offsets into the script text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * A value as the script spells it, after the script language's own quoting is removed.
 * `text` may still hold `${{ }}` expressions and shell `$VAR` / `${VAR}` references: the caller resolves them.
 * `exact` is false when the text is not a literal the parser could read (a JS identifier, a shell `$(...)`,
 * a concatenation it could not follow); `text` then holds the source text, for messages only.
 */
export interface RawValue {
  text: string;
  span: Span;
  exact: boolean;
}

/** The JSON type a field's value has once sent, as far as the script shows it. */
export type RawValueType = 'string' | 'boolean' | 'number' | 'null' | 'object' | 'array' | 'unknown';

/** One field of a client_payload or of workflow inputs, e.g. from `-f 'client_payload[version]=1.2'`. */
export interface RawField {
  /** Key path below client_payload / inputs: `client_payload[a][b]=x` gives ['a', 'b']. */
  path: string[];
  value: RawValue;
  valueType: RawValueType;
  /** Where the key is spelt, for findings about the key itself. */
  keySpan: Span;
}

export type RawPayload =
  /** A JSON document as text (`curl -d '{...}'`, a heredoc); it may contain `${{ }}` and `$VAR`. */
  | { kind: 'json-text'; text: RawValue }
  /** Fields given one by one (`gh api -f client_payload[k]=v`, `gh workflow run -f k=v`, a JS object literal). */
  | { kind: 'fields'; fields: RawField[]; span: Span }
  /** A value that is certainly not an object (`gh api -f client_payload='{...}'` sends a string). */
  | { kind: 'not-object'; span: Span; reason: string }
  /** A payload the parser cannot see into (`--input file`, stdin, a variable). */
  | { kind: 'unknown'; span: Span; reason: string };

export interface RawSend {
  kind: 'repository_dispatch' | 'workflow_dispatch';
  /** How it is sent: 'gh api', 'gh workflow run', 'curl', 'github-script'. */
  form: string;
  /** The whole command or call. */
  span: Span;
  /** Target repository as `owner/name` text, when the script names it whole (a URL path, `-R owner/repo`). */
  repository?: RawValue;
  /** Target owner and name given apart (github-script `owner:` / `repo:`). */
  owner?: RawValue;
  repo?: RawValue;
  /** repository_dispatch only. */
  eventType?: RawValue;
  /** workflow_dispatch only: a file name, a workflow `name:` or a numeric id. */
  workflow?: RawValue;
  ref?: RawValue;
  /** client_payload (repository_dispatch) or inputs (workflow_dispatch); undefined when none is sent. */
  payload?: RawPayload;
  /**
   * A whole JSON request body (`curl -d '{...}'`, `gh api --input - <<EOF`), when the script sends one.
   * The caller reads event_type / client_payload (or ref / inputs) out of it; the parser need not.
   */
  body?: RawValue;
  /**
   * Token evidence the script itself carries: the value of an `Authorization` header (curl), or
   * `--header`/`-H` given to gh api. Undefined when the token comes from the environment (gh's GH_TOKEN).
   */
  authorization?: RawValue;
  /**
   * Shell variables the script itself sets and the values above read (`for repo in a b` ... `$repo`), in the
   * order they must be resolved: a binding's values may read the bindings before it. Each combination of
   * their values is one concrete send, at this send's span.
   */
  bindings?: RawBinding[];
}

/** A shell variable the script sets; `values` undefined: only known at run time (the send stays unresolved). */
export interface RawBinding {
  name: string;
  values?: RawBindingValue[];
  /** Tests a value must pass to reach the send (a `case` arm, an `if [ "$r" = x ]` branch): all of them. */
  filters?: RawValueFilter[];
}

/** A value passes when it matches one of `anyOf` (if given) and none of `noneOf`: bash glob patterns. */
export interface RawValueFilter {
  anyOf?: string[];
  noneOf?: string[];
}

/** A text the variable takes its values from: one value, or several once expanded and split. */
export interface RawBindingValue {
  /** As spelt, after shell quote removal: it may hold `${{ }}` and `$VAR`. */
  text: string;
  span: Span;
  /**
   * How bash splits the expanded text into values: `none` (an assignment, a quoted word), `words` on blanks
   * and newlines (an unquoted `$VAR` in a `for` list), `lines` (what `while read` reads; blank lines skipped).
   */
  split: 'none' | 'words' | 'lines';
  /** False where bash does not expand `$VAR` in it (a quoted here-document); `${{ }}` is substituted anyway. */
  expand: boolean;
}

/** A read of `client_payload` inside a script, e.g. `context.payload.client_payload.version` in github-script. */
export interface RawPayloadRead {
  /** Key path below client_payload; empty when the whole payload is used (then every read is unknown). */
  path: string[];
  span: Span;
  /** True when the path is not fully known: `client_payload[name]`, `client_payload` passed whole. */
  whole: boolean;
}

export interface ScriptFacts {
  sends: RawSend[];
  payloadReads: RawPayloadRead[];
  /** Problems worth a note: a script that could not be parsed, with where. */
  problems: { message: string; span: Span }[];
  /** The script could not be read at all, so it may send dispatches nobody can see. */
  unreadable?: true;
}
