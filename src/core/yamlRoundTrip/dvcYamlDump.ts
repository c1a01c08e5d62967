// YAML exactly as DVC writes dvc.lock: dvc/utils/serialize/_yaml.py dumps with ruamel.yaml's
// round-trip YAML() (default_flow_style False, width 80, indent 2, sequences not indented
// under their key, allow_unicode). The behaviour below was read from ruamel.yaml 0.19.1
// (representer.py, serializer.py, emitter.py) and checked against DVC 3.67.1 on generated
// documents (test/core/repro/fixtures/gen-dump-cases.py). Quirks kept on purpose because
// DVC writes them: a long plain string folds at column 80 leaving a trailing space where a
// word too long for the line moves down; None is an empty value (`key:`, `- `); a string
// that would read back as another type is single-quoted; `'` or a newline switches to
// double quotes; a key of 123+ characters becomes `? key`; a dict or list that occurs twice
// (same object) is written once with `&id001` and then `*id001`.

import { PyFloat, PyTimestamp, pyFloatRepr } from '../python/pyFloat';
import { Emitter } from './yamlEmitter';

export type { ScalarStyle, ScalarTag, YamlNode, PostComment, NodeComments, YamlScalar, YamlSeq, YamlMap } from './yamlNodes';
import type { ScalarStyle, ScalarTag, YamlMap, YamlNode, YamlScalar, YamlSeq } from './yamlNodes';

// --- representer -----------------------------------------------------------------------

export function scalar(tag: ScalarTag, value: string, style?: ScalarStyle): YamlScalar {
  return style === undefined ? { kind: 'scalar', tag, value } : { kind: 'scalar', tag, value, style };
}

/** RoundTripRepresenter.represent_float / SafeRepresenter.represent_float. */
export function floatText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return pyFloatRepr(n).toLowerCase();
}

function isNode(v: unknown): v is YamlNode {
  return (
    typeof v === 'object' &&
    v !== null &&
    'kind' in v &&
    ((v as YamlNode).kind === 'scalar' || (v as YamlNode).kind === 'seq' || (v as YamlNode).kind === 'map') &&
    !(v instanceof Map) &&
    !Array.isArray(v)
  );
}

/**
 * Python data -> nodes, as DVC's representer does. Accepts PyValue (Map for dicts, PyFloat
 * for floats, number for ints) and, for convenience, plain objects as dicts and ready
 * YamlNodes (a round-trip loaded part of a document). A JS number that is not an integer
 * can only be a float and is written as one.
 */
export function represent(data: unknown): YamlNode {
  const memo = new Map<object, YamlNode>();
  let collections = 0;
  const rep = (v: unknown): YamlNode => {
    if (v === null || v === undefined) return scalar('null', collections === 0 ? 'null' : '');
    if (typeof v === 'boolean') return scalar('bool', v ? 'true' : 'false');
    if (typeof v === 'bigint') return scalar('int', v.toString());
    if (typeof v === 'number') {
      if (Number.isInteger(v))
        return scalar('int', Object.is(v, -0) ? '0' : Math.abs(v) <= Number.MAX_SAFE_INTEGER ? String(v) : BigInt(v).toString());
      return scalar('float', floatText(v));
    }
    if (v instanceof PyFloat) return scalar('float', floatText(v.value));
    if (v instanceof PyTimestamp) return scalar('timestamp', v.text);
    if (typeof v === 'string') return scalar('str', v);
    if (typeof v !== 'object') throw new TypeError(`cannot represent ${typeof v} as YAML`);
    if (isNode(v)) return v;
    const seen = memo.get(v);
    if (seen) return seen;
    collections++;
    if (Array.isArray(v)) {
      const node: YamlSeq = { kind: 'seq', items: [], flow: v.length === 0 };
      memo.set(v, node);
      for (const item of v) node.items.push(rep(item));
      return node;
    }
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    const node: YamlMap = { kind: 'map', pairs: [], flow: entries.length === 0 };
    memo.set(v, node);
    for (const [k, x] of entries) node.pairs.push([rep(k), rep(x)]);
    return node;
  };
  return rep(data);
}

/** `dumps_yaml(data)` of DVC: the text it writes for `data`. */
export function dumpDvcYaml(data: unknown): string {
  return emitYaml(represent(data));
}

/** Emits one YAML document the way DVC's ruamel dumper does. */
export function emitYaml(root: YamlNode): string {
  return new Emitter().document(root);
}
