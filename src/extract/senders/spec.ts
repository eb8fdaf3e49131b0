/**
 * A dispatch as a step spells it, before resolution: every input is a ValueRef (text plus where it is
 * written). Action steps and script commands are both turned into this one shape, so resolution and
 * payload reading are written once.
 */
import type { Position, SendVia } from '../../model.js';
import type { RawBinding, RawPayload } from '../raw-send.js';

export interface ValueRef {
  text: string;
  position: Position;
  /** False when the text is not a value we can read (a JS variable, `$(...)`). */
  exact: boolean;
  /** The text is shell-level: `$VAR` references are expanded by bash. */
  shell: boolean;
  /** The position of a sub-range of `text`. */
  locate(start: number, end: number): Position;
}

export type PayloadSpec =
  | { kind: 'none' }
  /** A JSON text (an action input, a curl body's client_payload). */
  | { kind: 'json'; value: ValueRef }
  /**
   * Fields one by one (gh -f, a JS object literal, the payload an action builds). `builtBy` and `runTimeKeys`
   * pass through to PayloadFacts (see there).
   */
  | {
      kind: 'fields';
      fields: { path: string[]; value: ValueRef; valueType: string; keyPosition: Position }[];
      position: Position;
      builtBy?: string;
      runTimeKeys?: string;
    }
  | { kind: 'not-object' | 'unknown'; reason: string; position: Position; beyondLimit?: true };

export type TokenSpec =
  | { kind: 'value'; value: ValueRef }
  /** The action's own default applies: github.token, or a failure when the input is required. */
  | { kind: 'default'; required: boolean; position: Position }
  /** gh reads GH_TOKEN, then GITHUB_TOKEN, from the environment. */
  | { kind: 'environment'; names: string[]; position: Position };

export interface SendSpec {
  kind: 'repository_dispatch' | 'workflow_dispatch';
  form: string;
  position: Position;
  /** `owner/name` text; undefined means the current repository. */
  target?: ValueRef;
  eventType?: ValueRef;
  workflow?: ValueRef;
  workflowByName: boolean;
  ref?: ValueRef;
  payload: PayloadSpec;
  token: TokenSpec;
  /** Inputs the sending action adds by itself (Codex-/return-dispatch's distinct_id). */
  addedInputs: string[];
  /** Texts whose `steps.X.outputs.Y` reads feed this dispatch. */
  feedingTexts: ValueRef[];
  /** Shell variables the script sets that the values above read: one concrete send per combination. */
  bindings?: RawBinding[];
  /** Other file names the sender takes for the workflow it resolves to (see Send.workflowAlternatives). */
  workflowAlternatives?: (workflow: string) => string[];
  /**
   * One dispatch per value of a list known only once it is resolved in the step's scope
   * (slash-command-dispatch's `commands`, which may come from `env:` through a condition): see ValueList.
   */
  perValue?: ValueList;
  /** The file the send is written in, when not the step's own (a script the step requires). */
  file?: string;
  /** How it is brought into the step (for a required script: the `require`). */
  via?: SendVia;
}

/** A list input whose values each make one dispatch. */
export interface ValueList {
  /** The list as written. */
  list: ValueRef;
  /** The values of one resolved text of the list, with their offsets in it. */
  split(text: string): { value: string; start: number; end: number }[];
  /** The spec of the dispatch for one value; `at` is where the value is written (or the list, if not literally). */
  specFor(value: string, at: ValueRef): SendSpec;
  /** The spec to use when the list cannot be resolved: its event type or workflow stays unknown. */
  unresolved(): SendSpec;
}

export type { RawPayload };
