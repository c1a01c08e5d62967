// MLflow's MLmodel file (FORMATS.md §3): YAML whose `signature` values are JSON *strings*
// (mlflow/models/signature.py to_dict: json.dumps of each schema). Column specs are
// `{type, name?, required?}` (array/object/map types nest `items`/`properties`/`values`),
// tensor specs `{type: "tensor", "tensor-spec": {dtype, shape}}`, params `{name, type, default, shape}`.
// Everything here is read, never trusted: a malformed part becomes a problem line, the rest stays.

import type { DataValue } from '../data/types';
import { parseYamlValue } from '../formats/structured';

export interface SignatureField {
  name: string | null;
  /** `double`, `array<string>`, `tensor float64`… */
  type: string;
  required: boolean | null;
  shape: number[] | null;
  /** A param's default, as JSON text. */
  default: string | null;
}

export interface MLmodelSignature {
  inputs: SignatureField[] | null;
  outputs: SignatureField[] | null;
  params: SignatureField[] | null;
}

export interface MLmodelFlavor {
  name: string;
  /** Scalar settings of the flavor (loader_module, python_version, sklearn_version…), as text. */
  details: [key: string, value: string][];
}

export interface MLmodelInfo {
  /** Repository-relative path of the MLmodel file. */
  file: string;
  /** Where its bytes were read: the commit's tree, the DVC cache (the out's md5 at that commit), or the workspace. */
  source: 'git' | 'dvc-cache' | 'workspace';
  runId: string | null;
  modelUuid: string | null;
  artifactPath: string | null;
  createdAt: string | null;
  mlflowVersion: string | null;
  modelSizeBytes: number | null;
  flavors: MLmodelFlavor[];
  signature: MLmodelSignature | null;
  problems: string[];
}

const isMap = (v: unknown): v is Record<string, DataValue> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

/**
 * Parses an MLmodel file. `where` names it in problems ("models/MLmodel at 1a2b3c4d"). Returns
 * null only when the file is not YAML or not a mapping at all (the reason is in `problems`).
 */
export function parseMLmodel(
  content: string,
  file: string,
  source: MLmodelInfo['source'],
  where = file,
): { info: MLmodelInfo | null; problems: string[] } {
  const parsed = parseYamlValue(content);
  if (!parsed.ok)
    return {
      info: null,
      problems: [
        `${where}${parsed.line ? `, line ${parsed.line}` : ''}: not valid YAML (${parsed.message}); MLflow could not load this model either.`,
      ],
    };
  const doc = parsed.value;
  if (!isMap(doc))
    return {
      info: null,
      problems: [
        `${where}: an MLmodel file is a YAML mapping (flavors, signature…), this is ${Array.isArray(doc) ? 'a list' : 'a scalar'}.`,
      ],
    };
  const problems: string[] = [];
  const flavors: MLmodelFlavor[] = [];
  if (isMap(doc.flavors)) {
    for (const [name, body] of Object.entries(doc.flavors)) {
      const details: [string, string][] = [];
      if (isMap(body)) {
        for (const [k, v] of Object.entries(body)) {
          const t = text(v);
          if (t !== null) details.push([k, t]);
        }
      }
      flavors.push({ name, details });
    }
  } else {
    problems.push(`${where}: no flavors mapping; MLflow cannot tell how to load this model.`);
  }
  let signature: MLmodelSignature | null = null;
  if (doc.signature !== undefined && doc.signature !== null) {
    if (isMap(doc.signature)) {
      signature = {
        inputs: schemaOf(doc.signature.inputs, 'inputs', where, problems),
        outputs: schemaOf(doc.signature.outputs, 'outputs', where, problems),
        params: schemaOf(doc.signature.params, 'params', where, problems),
      };
    } else {
      problems.push(`${where}: signature is not a mapping of inputs/outputs/params; ignored.`);
    }
  }
  const size = doc.model_size_bytes;
  return {
    info: {
      file,
      source,
      runId: text(doc.run_id),
      modelUuid: text(doc.model_uuid),
      artifactPath: text(doc.artifact_path),
      createdAt: text(doc.utc_time_created),
      mlflowVersion: text(doc.mlflow_version),
      modelSizeBytes: typeof size === 'number' && Number.isFinite(size) ? size : null,
      flavors,
      signature,
      problems,
    },
    problems,
  };
}

/** One of inputs/outputs/params: a JSON string (as MLflow writes it) or, leniently, YAML already parsed. */
function schemaOf(raw: DataValue | undefined, part: string, where: string, problems: string[]): SignatureField[] | null {
  if (raw === undefined || raw === null || raw === '') return null;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push(`${where}: signature ${part} is not valid JSON (${(error as Error).message}); ignored.`);
      return null;
    }
  }
  if (!Array.isArray(value)) {
    problems.push(`${where}: signature ${part} is not a list of column or tensor specs; ignored.`);
    return null;
  }
  const fields: SignatureField[] = [];
  value.forEach((spec, i) => {
    const field = fieldOf(spec);
    if (field) fields.push(field);
    else problems.push(`${where}: signature ${part}[${i}] has no type; skipped.`);
  });
  return fields;
}

function fieldOf(spec: unknown): SignatureField | null {
  if (!isMap(spec)) return null;
  const name = text(spec.name);
  const tensor = spec['tensor-spec'];
  if (spec.type === 'tensor' && isMap(tensor)) {
    return {
      name,
      type: `tensor ${text(tensor.dtype) ?? '?'}`,
      required: typeof spec.required === 'boolean' ? spec.required : null,
      shape: shapeOf(tensor.shape),
      default: null,
    };
  }
  const type = typeName(spec, 0);
  if (type === null) return null;
  return {
    name,
    type,
    required: typeof spec.required === 'boolean' ? spec.required : null,
    shape: shapeOf(spec.shape),
    default: spec.default === undefined ? null : JSON.stringify(spec.default),
  };
}

function typeName(spec: Record<string, DataValue>, depth: number): string | null {
  const type = text(spec.type);
  if (type === null || depth > 8) return type;
  if (type === 'array' && isMap(spec.items)) return `array<${typeName(spec.items, depth + 1) ?? '?'}>`;
  if (type === 'map' && isMap(spec.values)) return `map<string, ${typeName(spec.values, depth + 1) ?? '?'}>`;
  if (type === 'object' && isMap(spec.properties)) {
    const props = Object.entries(spec.properties).map(([k, v]) => `${k}: ${isMap(v) ? (typeName(v, depth + 1) ?? '?') : '?'}`);
    return `object{${props.join(', ')}}`;
  }
  return type;
}

function shapeOf(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((n) => typeof n === 'number') ? (value as number[]) : null;
}
