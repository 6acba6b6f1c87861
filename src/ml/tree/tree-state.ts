import { asArray, asNumber, asObject } from '../base/snapshot.js';
import type { ClassLabel, Json, JsonObject } from '../base/types.js';
import type { Dist, NominalValue } from './class-dist.js';
import { GaussianSplitter } from './gaussian-splitter.js';
import { HTLeaf, NominalBinaryBranch, NominalMultiwayBranch, type Node, NumericBinaryBranch } from './nodes.js';
import { NominalSplitterClassif } from './nominal-splitter.js';
import type { Splitter } from './splitter.js';

/** What the tree's state holds besides its parameters. */
export interface TreeState {
  classes: ClassLabel[];
  root: Node | null;
  nActiveLeaves: number;
  nInactiveLeaves: number;
  trainWeightSeen: number;
}

function isLabel(value: Json | undefined): value is ClassLabel {
  return typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function isNominal(value: Json | undefined): value is NominalValue {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function str(value: Json | undefined, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what}: expected a string`);
  return value;
}

/** The tree as JSON: classes by label, features by name, every ordered collection as an array. */
export function writeTreeState(tree: TreeState, names: readonly string[]): Json {
  const labels = tree.classes;
  const dist = (d: Dist): Json => d.cls.map((c, j) => [labels[c], d.w[j]]);
  const node = (n: Node): Json => {
    if (n.isLeaf) {
      return {
        type: 'leaf',
        depth: n.depth,
        stats: dist(n.stats),
        lastSplitAttemptAt: n.lastSplitAttemptAt,
        mcCorrectWeight: n.mcCorrect,
        nbCorrectWeight: n.nbCorrect,
        splitters: n.active ? n.splitters.map((s, k) => [names[n.splitterIds[k]], s.getState(labels)]) : null,
        disabled: [...n.disabled].map((id) => names[id]),
      };
    }
    const out: JsonObject = { type: n.kind, feature: names[n.feature], depth: n.depth, stats: dist(n.stats), children: n.children.map(node) };
    if (n instanceof NumericBinaryBranch) out.threshold = n.threshold;
    else if (n instanceof NominalBinaryBranch) out.value = n.value;
    else out.mapping = [...n.mapping].map(([v, i]) => [v, i]);
    return out;
  };
  return {
    classes: [...labels],
    trainWeightSeen: tree.trainWeightSeen,
    nActiveLeaves: tree.nActiveLeaves,
    nInactiveLeaves: tree.nInactiveLeaves,
    root: tree.root === null ? null : node(tree.root),
  };
}

/** Rebuilds what `writeTreeState` wrote; `intern` maps feature names to the step's ids. */
export function readTreeState(state: Json, nSplits: number, intern: (name: string) => number): TreeState {
  const s = asObject(state, 'HoeffdingTreeClassifier');
  const classes: ClassLabel[] = [];
  const index = new Map<ClassLabel, number>();
  for (const label of asArray(s.classes, 'HoeffdingTreeClassifier.classes')) {
    if (!isLabel(label) || index.has(label)) throw new TypeError('HoeffdingTreeClassifier.classes: expected distinct class labels');
    index.set(label, classes.length);
    classes.push(label);
  }
  const classOf = (label: Json): number => {
    const c = isLabel(label) ? index.get(label) : undefined;
    if (c === undefined) throw new TypeError(`HoeffdingTreeClassifier: unknown class ${JSON.stringify(label)}`);
    return c;
  };
  const dist = (value: Json | undefined): Dist => {
    const d: Dist = { cls: [], w: [] };
    for (const entry of asArray(value, 'HoeffdingTreeClassifier stats')) {
      const [label, w] = asArray(entry, 'HoeffdingTreeClassifier stats entry');
      d.cls.push(classOf(label));
      d.w.push(asNumber(w, 'HoeffdingTreeClassifier stats weight'));
    }
    return d;
  };
  const splitter = (value: Json): Splitter => {
    const o = asObject(value, 'HoeffdingTreeClassifier splitter');
    if (o.type === 'GaussianSplitter') return GaussianSplitter.fromState(asArray(o.classes, 'GaussianSplitter.classes'), nSplits, classOf);
    if (o.type === 'NominalSplitterClassif') return NominalSplitterClassif.fromState(o, classOf);
    throw new TypeError(`HoeffdingTreeClassifier: unknown splitter ${String(o.type)}`);
  };
  const leaf = (o: JsonObject): HTLeaf => {
    const l = new HTLeaf(dist(o.stats), asNumber(o.depth, 'leaf.depth'));
    l.lastSplitAttemptAt = asNumber(o.lastSplitAttemptAt, 'leaf.lastSplitAttemptAt');
    l.mcCorrect = asNumber(o.mcCorrectWeight, 'leaf.mcCorrectWeight');
    l.nbCorrect = asNumber(o.nbCorrectWeight, 'leaf.nbCorrectWeight');
    if (o.splitters === null) l.deactivate();
    else {
      for (const entry of asArray(o.splitters, 'leaf.splitters')) {
        const [name, sp] = asArray(entry, 'leaf.splitters[]');
        l.addSplitter(intern(str(name, 'leaf.splitters[][0]')), splitter(sp));
      }
    }
    for (const name of asArray(o.disabled, 'leaf.disabled')) l.disabled.add(intern(str(name, 'leaf.disabled[]')));
    return l;
  };
  const node = (value: Json): Node => {
    const o = asObject(value, 'HoeffdingTreeClassifier node');
    if (o.type === 'leaf') return leaf(o);
    const feature = intern(str(o.feature, 'branch.feature'));
    const depth = asNumber(o.depth, 'branch.depth');
    const children = asArray(o.children, 'branch.children').map(node);
    switch (o.type) {
      case 'NumericBinaryBranch':
        return new NumericBinaryBranch(dist(o.stats), feature, asNumber(o.threshold, 'branch.threshold'), depth, children);
      case 'NominalBinaryBranch':
        if (!isNominal(o.value)) throw new TypeError('branch.value: expected a number or string');
        return new NominalBinaryBranch(dist(o.stats), feature, o.value, depth, children);
      case 'NominalMultiwayBranch': {
        const b = new NominalMultiwayBranch(dist(o.stats), feature, [], depth, children);
        for (const entry of asArray(o.mapping, 'branch.mapping')) {
          const [v, i] = asArray(entry, 'branch.mapping[]');
          if (!isNominal(v)) throw new TypeError('branch.mapping: expected a number or string category');
          b.mapping.set(v, asNumber(i, 'branch.mapping index'));
        }
        return b;
      }
      default:
        throw new TypeError(`HoeffdingTreeClassifier: unknown node type ${String(o.type)}`);
    }
  };
  return {
    classes,
    root: s.root === null || s.root === undefined ? null : node(s.root),
    nActiveLeaves: asNumber(s.nActiveLeaves, 'HoeffdingTreeClassifier.nActiveLeaves'),
    nInactiveLeaves: asNumber(s.nInactiveLeaves, 'HoeffdingTreeClassifier.nInactiveLeaves'),
    trainWeightSeen: asNumber(s.trainWeightSeen, 'HoeffdingTreeClassifier.trainWeightSeen'),
  };
}
