// Source files of the demo classifier project. They change over history the way a real
// project's do (flags flipped by "refactor"/"fix" commits, new stages), and each version is
// a working script: standard-library Python 3 only, seeded and byte-for-byte deterministic,
// so `dvc repro` (or ML Lineage's repro) really rebuilds the pipeline in a few seconds.
// Model, training and evaluation scripts are in demoTrainCode.ts.

/** Switches flipped by "refactor"/"fix" commits; each changes one script's bytes. */
export interface CodeFlags {
  dedupe: boolean;
  stratify: boolean;
  lowercase: boolean;
  earlyStopping: boolean;
  scheduler: boolean;
  clipGrad: boolean;
  pickBest: boolean;
}

export const INITIAL_FLAGS: CodeFlags = {
  dedupe: false,
  stratify: false,
  lowercase: false,
  earlyStopping: false,
  scheduler: false,
  clipGrad: false,
  pickBest: false,
};

export const when = (cond: boolean, text: string): string => (cond ? text : '');

/** Reads params.yaml without PyYAML; every stage's script carries a copy. */
export const PARAMS_READER = String.raw`def load_params(path="params.yaml"):
    """params.yaml as nested dicts. Only the subset of YAML this project writes (block
    mappings of numbers, booleans and strings), so the pipeline needs no PyYAML."""
    root = {}
    stack = [(-1, root)]
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            text = line.rstrip()
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            key, colon, value = text.strip().partition(":")
            if not colon or key.startswith("-"):
                raise SystemExit(f"{path}:{number}: expected 'key: value', found {text.strip()!r}")
            indent = len(text) - len(text.lstrip(" "))
            while indent <= stack[-1][0]:
                stack.pop()
            key, value = key.strip("'\""), value.split(" #", 1)[0].strip()
            parent = stack[-1][1]
            if value:
                parent[key] = scalar(value)
            else:
                parent[key] = {}
                stack.append((indent, parent[key]))
    return root


def scalar(text):
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip("'\"")
`;

/** Writes nested dicts as block YAML laid out like DVC's (and demoUtil's dvcYaml). */
export const YAML_WRITER = String.raw`def to_yaml(mapping, indent=0):
    """Nested dicts of numbers and strings as block YAML, keys in insertion order."""
    lines = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            lines.append(" " * indent + f"{key}:\n" + to_yaml(value, indent + 2))
        else:
            lines.append(" " * indent + f"{key}: {value}\n")
    return "".join(lines)
`;

export function prepareScript(f: CodeFlags): string {
  return String.raw`"""Split the raw reviews into train and test sets."""
import csv
import os
import random
import sys

FIELDS = ["id", "text", "label"]


${PARAMS_READER}

def main(raw_path: str, out_dir: str) -> None:
    params = load_params()["prepare"]
    with open(raw_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
${when(
  f.dedupe,
  String.raw`    # Identical reviews used to land on both sides of the split and inflate accuracy.
    seen = set()
    unique = []
    for row in rows:
        if row["text"] not in seen:
            seen.add(row["text"])
            unique.append(row)
    rows = unique
`,
)}    rng = random.Random(params["seed"])
${
  f.stratify
    ? String.raw`    # Split each label on its own so train and test keep the same class balance.
    groups = [[row for row in rows if row["label"] == label] for label in sorted({row["label"] for row in rows})]
`
    : `    groups = [rows]
`
}    test_ids = set()
    for group in groups:
        ids = [row["id"] for row in group]
        rng.shuffle(ids)
        test_ids.update(ids[: round(len(ids) * params["split"])])
    os.makedirs(out_dir, exist_ok=True)
    for name, is_test in (("train.csv", False), ("test.csv", True)):
        with open(os.path.join(out_dir, name), "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(row for row in rows if (row["id"] in test_ids) == is_test)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
`;
}

export function featurizeScript(f: CodeFlags): string {
  return String.raw`"""Turn review text into TF-IDF features: one sparse row of (index, weight) pairs per review."""
import csv
import math
import os
import pickle
import sys


${PARAMS_READER}

def terms(text: str, ngrams: int) -> list:
    words = text${f.lowercase ? '.lower()' : ''}.split()
    return [" ".join(words[i : i + n]) for n in range(1, ngrams + 1) for i in range(len(words) - n + 1)]


def read(path: str) -> list:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main(in_dir: str, out_dir: str) -> None:
    params = load_params()["featurize"]
    train = read(os.path.join(in_dir, "train.csv"))
    test = read(os.path.join(in_dir, "test.csv"))
    df = {}
    for row in train:
        for term in set(terms(row["text"], params["ngrams"])):
            df[term] = df.get(term, 0) + 1
    # The most frequent terms, ties broken by the term itself (never by set order).
    vocabulary = sorted(sorted(df, key=lambda t: (-df[t], t))[: params["max_features"]])
    index = {term: i for i, term in enumerate(vocabulary)}
    # Smoothed inverse document frequency, as scikit-learn's TfidfVectorizer computes it.
    idf = [math.log((1 + len(train)) / (1 + df[term])) + 1 for term in vocabulary]

    def vectorize(text: str) -> list:
        counts = {}
        for term in terms(text, params["ngrams"]):
            if term in index:
                counts[index[term]] = counts.get(index[term], 0) + 1
        weights = {i: count * idf[i] for i, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return [(i, round(weights[i] / norm, 6)) for i in sorted(weights)]

    os.makedirs(out_dir, exist_ok=True)
    for name, rows in (("train.pkl", train), ("test.pkl", test)):
        data = {
            "vocabulary": vocabulary,
            "idf": [round(x, 6) for x in idf],
            "rows": [vectorize(row["text"]) for row in rows],
            "labels": [int(row["label"]) for row in rows],
        }
        with open(os.path.join(out_dir, name), "wb") as fh:
            # Protocol 4 and plain types only, so the same features always give the same bytes.
            pickle.dump(data, fh, protocol=4)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
`;
}

export function readme(pipeline: number): string {
  return `# Review sentiment classifier

Classifies product reviews as positive or negative. The pipeline is managed with
[DVC](https://dvc.org): \`dvc repro\` rebuilds everything from \`data/raw.csv\`. The scripts
need nothing but Python 3's standard library, and every run gives the same bytes.

## Stages
- \`prepare\`: train/test split (\`params.yaml: prepare\`)
${pipeline >= 2 ? '- `featurize`: TF-IDF features (`params.yaml: featurize`)\n- `train@small`, `train@large`: two model families from one `foreach` stage\n' : '- `train`: logistic-regression classifier\n'}- \`evaluate\`: metrics in \`eval/\`, ROC${pipeline >= 2 ? ' and confusion' : ''} plot data in \`eval/plots/\`
${pipeline >= 3 ? "\nTraining curves are logged in DVCLive's layout into `dvclive/`.\n" : ''}`;
}

export function requirements(pipeline: number, liveV3: boolean): string {
  // The scripts use the standard library only; these are the tools around them.
  const lines = ['dvc>=3.30'];
  if (pipeline >= 3) {
    lines.push(liveV3 ? 'dvclive>=3.0' : 'dvclive>=2.16');
  }
  return lines.sort().join('\n') + '\n';
}
