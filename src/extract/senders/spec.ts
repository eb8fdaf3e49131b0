/**
 * A dispatch as a step spells it, before resolution: every input is a ValueRef (text plus where it is
 * written). Action steps and script commands are both turned into this one shape, so resolution and
 * payload reading are written once.
 */
import type { Position } from '../../model.js';
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
  /** Fields one by one (gh -f, a JS object literal). */
  | { kind: 'fields'; fields: { path: string[]; value: ValueRef; valueType: string; keyPosition: Position }[]; position: Position }
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
}

export type { RawPayload };
