/**
 * The join across repositories: every send indexed by target, every listener and workflow by repository,
 * so a rule asks "who listens for E in R?" without walking files. Built once per run from the facts.
 */
import type { Edge, EdgeStatus, RepoSummary, Send, WorkflowFacts } from '../model.js';
import type { SecretScope } from '../sources/github/secrets.js';
import { canRunOnAnyTrigger } from '../extract/conditions.js';

export interface ScannedRepository {
  name: string;
  source: RepoSummary['source'];
  workflows: WorkflowFacts[];
  /** The secret names its workflows can see, where GitHub was asked (GitHub mode). */
  secrets?: SecretScope;
}

export class DispatchIndex {
  readonly repositories = new Map<string, ScannedRepository>();
  readonly sends: Send[] = [];
  private readonly sendsByTarget = new Map<string, Send[]>();
  private allWorkflows: readonly WorkflowFacts[] | undefined;

  constructor(repositories: ScannedRepository[]) {
    // A reusable workflow that runs only when called sends only as part of its callers (whose facts hold those
    // sends, in the caller's context): where a scanned workflow calls it, its own copies of them are left out.
    const called = new Set(repositories.flatMap((repository) => repository.workflows.flatMap((workflow) => (workflow.calls ?? []).map((call) => `${repoKey(call.repo)}\u0000${call.path}`))));
    for (const repository of repositories) {
      const workflows = repository.workflows.map((workflow) =>
        workflow.sends.length > 0 && called.has(`${repoKey(workflow.repo)}\u0000${workflow.path}`) && workflow.triggers.every((trigger) => trigger === 'workflow_call') ? { ...workflow, sends: [] } : workflow,
      );
      const indexed = workflows.some((workflow, at) => workflow !== repository.workflows[at]) ? { ...repository, workflows } : repository;
      this.repositories.set(repoKey(repository.name), indexed);
      for (const workflow of workflows) this.sends.push(...workflow.sends);
    }
    for (const send of this.sends) {
      if (send.target.value === undefined) continue;
      const key = repoKey(send.target.value);
      const list = this.sendsByTarget.get(key) ?? [];
      list.push(send);
      this.sendsByTarget.set(key, list);
    }
  }

  /** Every workflow, repository by repository (built once: most rules walk them all). */
  get workflows(): readonly WorkflowFacts[] {
    this.allWorkflows ??= [...this.repositories.values()].flatMap((repository) => repository.workflows);
    return this.allWorkflows;
  }

  repository(name: string): ScannedRepository | undefined {
    return this.repositories.get(repoKey(name));
  }

  isScanned(name: string): boolean {
    return this.repositories.has(repoKey(name));
  }

  /** Sends whose target resolved to `repo`. */
  sendsTo(repo: string): Send[] {
    return this.sendsByTarget.get(repoKey(repo)) ?? [];
  }

  /** Workflows of `repo` that listen for repository_dispatch at all. */
  listeners(repo: string): WorkflowFacts[] {
    return (this.repository(repo)?.workflows ?? []).filter((workflow) => workflow.repositoryDispatch !== undefined);
  }

  /** The repository_dispatch sends that start `workflow` (to its repository, with a type it accepts). */
  sendsStarting(workflow: WorkflowFacts): Send[] {
    return this.sendsTo(workflow.repo).filter((send) => send.kind === 'repository_dispatch' && send.eventType?.value !== undefined && accepts(workflow, send.eventType.value));
  }

  /** The workflow a send is written in. */
  workflowOf(send: Send): WorkflowFacts | undefined {
    return this.repository(send.repo)?.workflows.find((workflow) => workflow.path === send.path);
  }

  /** The workflow_dispatch sends that name `workflow` (by file name, or by `name:` where the sender allows it). */
  workflowDispatchesOf(workflow: WorkflowFacts): Send[] {
    return this.sendsTo(workflow.repo).filter((send) => send.kind === 'workflow_dispatch' && send.workflow?.value !== undefined && this.findWorkflow(workflow.repo, send.workflow.value, send.workflowByName ?? false, send.workflowAlternatives) === workflow);
  }

  /** Workflows of `repo` that a repository_dispatch of `eventType` starts. */
  listenersAccepting(repo: string, eventType: string): WorkflowFacts[] {
    return this.listeners(repo).filter((workflow) => accepts(workflow, eventType));
  }

  /**
   * The workflow a workflow_dispatch names: by file name (with or without `.github/workflows/`), else by one of
   * the other file names the sender takes (`alternatives`), else, where the sender allows it, by `name:`.
   */
  findWorkflow(repo: string, id: string, byName: boolean, alternatives: string[] = []): WorkflowFacts | undefined {
    const workflows = this.repository(repo)?.workflows ?? [];
    for (const fileName of [id, ...alternatives].map((name) => name.replace(/^\.github\/workflows\//, ''))) {
      const found = workflows.find((workflow) => baseName(workflow.path) === fileName);
      if (found) return found;
    }
    return byName ? workflows.find((workflow) => workflow.name !== undefined && workflow.name === id) : undefined;
  }

  /** The workflows a send starts: listeners of its event type, or the workflow_dispatch workflow it names. */
  workflowsStartedBy(send: Send): WorkflowFacts[] {
    const target = send.target.value;
    if (target === undefined) return [];
    if (send.kind === 'repository_dispatch') {
      const type = send.eventType?.value;
      return type === undefined ? [] : this.listenersAccepting(target, type);
    }
    const id = send.workflow?.value;
    const workflow = id === undefined ? undefined : this.findWorkflow(target, id, send.workflowByName ?? false, send.workflowAlternatives);
    return workflow?.workflowDispatch ? [workflow] : [];
  }

  edges(): Edge[] {
    const edges = new Map<string, Edge>();
    for (const send of this.sends) {
      const edge: Edge = {
        from: send.repo,
        to: send.target.value ?? send.target.text,
        kind: send.kind,
        event: (send.kind === 'repository_dispatch' ? send.eventType : send.workflow)?.value ?? (send.kind === 'repository_dispatch' ? send.eventType?.text : send.workflow?.text) ?? '',
        status: this.edgeStatus(send),
      };
      edges.set(JSON.stringify(edge), edge);
    }
    return [...edges.values()].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind) || compareStrings(a.event, b.event) || compareStrings(a.status, b.status));
  }

  edgeStatus(send: Send): EdgeStatus {
    const sender = this.workflowOf(send);
    if (sender && !canRunOnAnyTrigger(send.events, sender.triggers, sender.triggerRefKinds)) return 'dead';
    const target = send.target.value;
    const name = send.kind === 'repository_dispatch' ? send.eventType?.value : send.workflow?.value;
    if (target === undefined || name === undefined) return 'unresolved';
    if (!this.isScanned(target)) return 'external';
    if (send.kind === 'repository_dispatch') return this.listenersAccepting(target, name).length > 0 ? 'ok' : 'no-listener';
    const workflow = this.findWorkflow(target, name, send.workflowByName ?? false, send.workflowAlternatives);
    if (/^\d+$/.test(name) && !workflow) return 'unresolved';
    return workflow?.workflowDispatch ? 'ok' : 'no-listener';
  }
}

/** Matching of listener types is exact and case-sensitive (dispatch-facts: unconfirmed, so the strict reading). */
export function accepts(workflow: WorkflowFacts, eventType: string): boolean {
  const listener = workflow.repositoryDispatch;
  if (!listener) return false;
  return listener.types === undefined || listener.types.some((type) => type.value === eventType);
}

export function repoKey(name: string): string {
  return name.toLowerCase();
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
