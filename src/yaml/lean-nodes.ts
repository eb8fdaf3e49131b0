/**
 * `yaml`'s node classes (Scalar, YAMLMap, YAMLSeq, Pair), built for the common reader without their constructors.
 * Each of yaml's constructors tags its node with `Object.defineProperty` (collections twice: the tag and `schema`), a
 * runtime call per node that took a third of the reader's own time on real workflows. Here the tag is set once, on a
 * prototype placed under yaml's own, so `isMap`/`isScalar`/`isPair`, `instanceof` and every method (`get`, `getIn`,
 * `toJSON`) see the same node; the own fields are the ones yaml's composer sets that the reader models.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

/** yaml's own tags (nodes/identity.js): registered symbols, so the same ones as yaml's. */
const NODE_TYPE = Symbol.for('yaml.node.type');

function tagPrototype(prototype: object, base: object, tag: string): void {
  Object.setPrototypeOf(prototype, base);
  Object.defineProperty(prototype, NODE_TYPE, { value: Symbol.for(tag) });
}

type Range = [number, number, number];

class LeanScalar {
  constructor(
    public value: unknown,
    public type: Scalar.Type,
    public range: Range,
  ) {}
}
tagPrototype(LeanScalar.prototype, Scalar.prototype, 'yaml.scalar');

class LeanPair {
  constructor(
    public key: Scalar,
    public value: Node,
  ) {}
}
tagPrototype(LeanPair.prototype, Pair.prototype, 'yaml.pair');

class LeanMap {
  items: Pair<Scalar, Node>[] = [];
  range: Range | undefined = undefined;
  flow: boolean | undefined;
  constructor(flow: boolean) {
    this.flow = flow || undefined;
  }
}
tagPrototype(LeanMap.prototype, YAMLMap.prototype, 'yaml.map');

class LeanSeq {
  items: Node[] = [];
  range: Range | undefined = undefined;
  flow: boolean | undefined;
  constructor(flow: boolean) {
    this.flow = flow || undefined;
  }
}
tagPrototype(LeanSeq.prototype, YAMLSeq.prototype, 'yaml.seq');

export function scalarNode(value: unknown, type: Scalar.Type, range: Range): Scalar {
  return new LeanScalar(value, type, range) as unknown as Scalar;
}

export function pairNode(key: Scalar, value: Node): Pair<Scalar, Node> {
  return new LeanPair(key, value) as unknown as Pair<Scalar, Node>;
}

/** An empty block (or, with `flow`, flow) mapping; the reader fills its items and sets its range. */
export function mapNode(flow = false): YAMLMap<Scalar, Node> {
  return new LeanMap(flow) as unknown as YAMLMap<Scalar, Node>;
}

export function seqNode(flow = false): YAMLSeq<Node> {
  return new LeanSeq(flow) as unknown as YAMLSeq<Node>;
}
