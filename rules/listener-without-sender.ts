import { declares } from '../src/config/config.js';
import { locate, type Rule } from '../src/rule.js';

/** A listener nobody feeds is dead code, or the sign of a sender that was renamed or removed. */
export const listenerWithoutSender: Rule = {
  id: 'listener-without-sender',
  defaultSeverity: 'warning',
  description: 'a workflow listens for a repository_dispatch event type that no scanned workflow sends to its repository',
  check({ index, config, report }) {
    const dispatches = index.sends.filter((send) => send.kind === 'repository_dispatch');
    // A send whose target or type is only known at run time may be the missing sender: stay quiet for what it could reach.
    const typesToUnknownTargets = new Set(dispatches.filter((send) => send.target.value === undefined && send.eventType?.value !== undefined).map((send) => send.eventType?.value as string));
    const reposWithUnknownTypes = new Set(dispatches.filter((send) => send.target.value !== undefined && send.eventType?.value === undefined).map((send) => (send.target.value as string).toLowerCase()));

    for (const repository of index.repositories.values()) {
      if (reposWithUnknownTypes.has(repository.name.toLowerCase())) continue;
      // A github-script step running local code may be the sender (a chat-ops bot): we cannot tell.
      if (repository.workflows.some((workflow) => (workflow.opaqueScripts?.length ?? 0) > 0)) continue;
      const sentHere = index.sendsTo(repository.name).filter((send) => send.kind === 'repository_dispatch');
      const sentTypes = new Set(sentHere.map((send) => send.eventType?.value));
      const hint = 'if it comes from outside the scanned workflows, declare it under events.fromOutside in the config';
      for (const workflow of repository.workflows) {
        const listener = workflow.repositoryDispatch;
        if (!listener) continue;
        if (listener.types === undefined) {
          if (sentHere.length === 0 && typesToUnknownTargets.size === 0) {
            report({
              location: locate(workflow, listener.position),
              identity: ['*'],
              message: `${workflow.path} runs on every repository_dispatch, but no scanned workflow sends one to ${repository.name} (${hint})`,
            });
          }
          continue;
        }
        for (const type of listener.types) {
          if (sentTypes.has(type.value) || typesToUnknownTargets.has(type.value) || declares(config.events.fromOutside, repository.name, type.value)) continue;
          report({
            location: locate(workflow, type.position),
            identity: [type.value],
            message: `${workflow.path} listens for '${type.value}', but no scanned workflow sends it to ${repository.name} (${hint})`,
          });
        }
      }
    }
  },
};
