import { declares } from '../src/config/config.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { suggest } from '../src/suggest.js';
import { viaRelated } from './support.js';

/** The heart of the linter: GitHub answers 204 to a dispatch nobody listens for, and nothing runs. */
export const eventWithoutListener: Rule = {
  id: 'event-without-listener',
  defaultSeverity: 'error',
  description: 'a repository_dispatch sent to a scanned repository where no workflow listens for that event type',
  check({ index, config, report }) {
    for (const send of index.sends) {
      const target = send.target.value;
      const type = send.eventType?.value;
      if (send.kind !== 'repository_dispatch' || target === undefined || type === undefined || !send.eventType) continue;
      // An empty or over-long type is rejected by GitHub before any listener matters (event-type-invalid).
      if (type === '' || type.length > 100) continue;
      if (!index.isScanned(target) || declares(config.events.toOutside, target, type)) continue;
      if (index.listenersAccepting(target, type).length > 0) continue;
      const listeners = index.listeners(target);
      const listened = listeners.flatMap((workflow) => workflow.repositoryDispatch?.types?.map((entry) => entry.value) ?? []);
      const nearest = suggest(type, listened);
      const targetName = index.repository(target)?.name ?? target;
      const outside = `if an app or webhook consumes it, declare it under events.toOutside in the config`;
      const message =
        listeners.length === 0
          ? `${send.repo} sends '${type}' to ${targetName}, where no workflow listens for repository_dispatch, so nothing runs (${outside})`
          : nearest
            ? `${send.repo} sends '${type}' to ${targetName}, where no workflow listens for it, so nothing runs (did you mean '${nearest}'?)`
            : `${send.repo} sends '${type}' to ${targetName}, where no workflow listens for it, so nothing runs (${outside})`;
      report({
        location: locate(send, send.eventType.position),
        identity: [target.toLowerCase(), type],
        message,
        related: [...viaRelated(send), ...listeners.map((workflow) =>
          relate(workflow, workflow.repositoryDispatch?.types?.[0]?.position ?? workflow.repositoryDispatch!.position, `listens for: ${workflow.repositoryDispatch?.types?.map((entry) => entry.value).join(', ') ?? 'every type'}`),
        )],
      });
    }
  },
};
