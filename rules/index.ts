/** Every rule, in catalog order. Adding a rule is one new file and one line here. */
import type { Rule } from '../src/rule.js';
import { appTokenScope } from './app-token-scope.js';
import { configLoosened } from './config-loosened.js';
import { crossRepoGithubToken } from './cross-repo-github-token.js';
import { deadDispatch } from './dead-dispatch.js';
import { dispatchCycle } from './dispatch-cycle.js';
import { eventTypeInvalid } from './event-type-invalid.js';
import { eventWithoutListener } from './event-without-listener.js';
import { forkSecretDispatch } from './fork-secret-dispatch.js';
import { githubTokenPermissions } from './github-token-permissions.js';
import { inputNotDeclared } from './input-not-declared.js';
import { inputUnused } from './input-unused.js';
import { listenerTypesInvalid } from './listener-types-invalid.js';
import { listenerWithoutSender } from './listener-without-sender.js';
import { payloadFieldMissing } from './payload-field-missing.js';
import { payloadFieldUnread } from './payload-field-unread.js';
import { payloadInjection } from './payload-injection.js';
import { payloadNotObject } from './payload-not-object.js';
import { payloadTooManyProperties } from './payload-too-many-properties.js';
import { payloadTypeMismatch } from './payload-type-mismatch.js';
import { payloadWithoutTrigger } from './payload-without-trigger.js';
import { secretNotDefined } from './secret-not-defined.js';
import { stepOutputUndefined } from './step-output-undefined.js';
import { suppressionWithoutReason } from './suppression-without-reason.js';
import { tokenSecretDrift } from './token-secret-drift.js';
import { unknownTargetRepo } from './unknown-target-repo.js';
import { unresolvedDispatch } from './unresolved-dispatch.js';
import { unusedSuppression } from './unused-suppression.js';
import { workflowDispatchInputs } from './workflow-dispatch-inputs.js';
import { workflowDispatchTarget } from './workflow-dispatch-target.js';
import { workflowSyntax } from './workflow-syntax.js';

export const RULES: readonly Rule[] = [
  eventWithoutListener,
  listenerWithoutSender,
  workflowDispatchTarget,
  workflowDispatchInputs,
  inputNotDeclared,
  inputUnused,
  payloadFieldMissing,
  payloadFieldUnread,
  payloadTypeMismatch,
  tokenSecretDrift,
  crossRepoGithubToken,
  githubTokenPermissions,
  appTokenScope,
  forkSecretDispatch,
  dispatchCycle,
  deadDispatch,
  payloadNotObject,
  payloadTooManyProperties,
  eventTypeInvalid,
  listenerTypesInvalid,
  stepOutputUndefined,
  payloadWithoutTrigger,
  payloadInjection,
  unresolvedDispatch,
  unknownTargetRepo,
  secretNotDefined,
  workflowSyntax,
  unusedSuppression,
  suppressionWithoutReason,
  configLoosened,
];
