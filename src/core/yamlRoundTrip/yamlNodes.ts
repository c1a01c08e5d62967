// The node graph of the round-trip writer: what the representer and the loader build and the
// emitter writes. Kept apart so the emitter does not import the representer that uses it.

export type ScalarStyle = '' | "'" | '"' | '|' | '>';
export type ScalarTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'timestamp' | 'merge' | 'value';

/** The node graph the emitter writes. The same object used twice becomes an anchor and alias. */
export type YamlNode = YamlScalar | YamlSeq | YamlMap;

/**
 * Comments and blank lines a round-trip load attached to a node, as ruamel re-emits them.
 * `post`: after a scalar, after `key:` of a block collection, or after a flow collection's
 * closing bracket; `column` is set when it started on the same line (a `# comment`), else
 * the text starts with a line break. `pre`: whole lines written before a key or item.
 */
/** `block`: after a block scalar, where ruamel pulls a comment at or past its indent back to indent - 1. */
export interface PostComment {
  text: string;
  column?: number;
  block?: boolean;
}

export interface NodeComments {
  pre?: string;
  post?: PostComment;
  /** Lines written when a block collection ends (comments before a dedent or the end). */
  end?: string;
  /** A `# comment` on a block scalar's header line, spaces before it included. */
  header?: string;
  /** On a key: comments after its `:` and before the first entry of its block value. */
  valuePost?: PostComment;
  valuePre?: string;
}

export interface YamlScalar {
  kind: 'scalar';
  tag: ScalarTag;
  /** The text to write (already in the representer's form: `.inf`, `1e-05`, `true`, '' for None). */
  value: string;
  /** A style the value insists on (round-trip literal/folded block scalars); none = choose. */
  style?: ScalarStyle;
  /** Anchor name from a loaded document; used when the node is referenced twice. */
  anchor?: string;
  /** A loaded scalar's anchor is written even when nothing refers to it (ruamel's always_dump). */
  anchorAlways?: boolean;
  comments?: NodeComments;
}
export interface YamlSeq {
  kind: 'seq';
  items: YamlNode[];
  flow: boolean;
  anchor?: string;
  comments?: NodeComments;
}
export interface YamlMap {
  kind: 'map';
  pairs: [YamlNode, YamlNode][];
  flow: boolean;
  anchor?: string;
  comments?: NodeComments;
}
