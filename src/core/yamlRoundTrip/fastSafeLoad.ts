// loadYamlSafe's answer for the plain block YAML params files almost always are, without
// building the `yaml` package's document: formats/fastYaml reads the structure and keeps each
// scalar's source text, and the scalars resolve here by ruamel's rules (yamlResolve) as
// loadYamlSafe resolves them. Anything the fast reader does not take, and anything whose
// resolution could fail or needs more than the text (timestamps, odd booleans, keys that are
// not strings, merge keys), returns undefined: the caller then uses loadYamlSafe, which also
// words every error. Reading thousands of commits' params.yaml is mostly this.

import { fastYaml, type FastNode } from '../formats/fastYaml';
import { PyFloat, type PyDict, type PyValue } from '../python/pyFloat';
import { resolvePlainTag } from './yamlResolve';
import { intValue, parseFloatText, parseIntText } from './yamlRoundTripScalars';

// ruamel's Reader refuses these characters (see yamlLoad.ts): the full loader says so.
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

class Bail extends Error {}
const BAIL = new Bail();

function scalar(node: Extract<FastNode, { kind: 'scalar' }>): PyValue {
  const text = node.source;
  if (text === '') return null;
  if (text.startsWith("'") || text.startsWith('"')) {
    if (typeof node.value !== 'string') throw BAIL;
    return node.value;
  }
  switch (resolvePlainTag(text)) {
    case 'null':
      return null;
    case 'bool':
      if (!/^(?:true|false)$/i.test(text)) throw BAIL;
      return text.toLowerCase() === 'true';
    case 'int':
      try {
        return intValue(parseIntText(text));
      } catch {
        throw BAIL;
      }
    case 'float': {
      const n = parseFloatText(text);
      if (Number.isNaN(n) && !/nan$/i.test(text)) throw BAIL;
      return new PyFloat(n);
    }
    case 'str':
      return text;
    default:
      throw BAIL;
  }
}

function build(node: FastNode): PyValue {
  if (node.kind === 'scalar') return scalar(node);
  if (node.kind === 'seq') return node.items.map(build);
  const out: PyDict = new Map();
  for (const [key, value] of node.entries) {
    // A key ruamel would read as an int, a bool or null (or a quoted one that looks like it):
    // the fast reader does not say which, the full loader does.
    if (key === '' || resolvePlainTag(key) !== 'str') throw BAIL;
    out.set(key, build(value));
  }
  return out;
}

/** A non-empty mapping document as ruamel's safe loader gives it, or undefined when only loadYamlSafe can say. */
export function fastSafeLoad(text: string): PyValue | undefined {
  if (NON_PRINTABLE.test(text)) return undefined;
  const node = fastYaml(text.replace(/\r\n?/g, '\n'));
  if (!node || node.kind !== 'map' || node.entries.length === 0) return undefined;
  try {
    return build(node);
  } catch (error) {
    if (error instanceof Bail) return undefined;
    throw error;
  }
}
