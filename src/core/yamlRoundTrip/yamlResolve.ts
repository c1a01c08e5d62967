// ruamel.yaml's implicit scalar resolution for YAML 1.2 (ruamel/yaml/resolver.py), which is
// what DVC's loaders (YAML(typ='safe') for params and dvc.lock, typ='rt' before re-writing
// dvc.lock) and its dumper use. It is not the YAML 1.2 core schema of the `yaml` package:
// `1_000` and `0b101` are ints, `.5e3` and `1:30` are strings, `2020-01-01` is a date, `=`
// and `<<` have tags of their own. The dumper quotes a string exactly when this resolver
// would read its plain form as something else.

export type ResolvedTag = 'bool' | 'float' | 'int' | 'merge' | 'null' | 'timestamp' | 'value' | 'str';

const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/;
const MERGE = /^(?:<<)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
export const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const VALUE = /^(?:=)$/;

// Resolvers are looked up by the first character, in registration order (resolver.py).
const RESOLVERS: [ResolvedTag, RegExp, string[]][] = [
  ['bool', BOOL, [...'tTfF']],
  ['float', FLOAT, [...'-+0123456789.']],
  ['int', INT, [...'-+0123456789']],
  ['merge', MERGE, ['<']],
  ['null', NULL, ['~', 'n', 'N', '']],
  ['timestamp', TIMESTAMP, [...'0123456789']],
  ['value', VALUE, ['=']],
];

const BY_FIRST = new Map<string, [ResolvedTag, RegExp][]>();
for (const [tag, re, firsts] of RESOLVERS) {
  for (const c of firsts) {
    const list = BY_FIRST.get(c) ?? [];
    list.push([tag, re]);
    BY_FIRST.set(c, list);
  }
}

/** The tag ruamel gives a plain scalar with this text. */
export function resolvePlainTag(text: string): ResolvedTag {
  const first = text === '' ? '' : String.fromCodePoint(text.codePointAt(0) ?? 0);
  for (const [tag, re] of BY_FIRST.get(first) ?? []) {
    // Python's re `$` also matches before one final newline.
    if (re.test(text) || (text.endsWith('\n') && re.test(text.slice(0, -1)))) return tag;
  }
  return 'str';
}
