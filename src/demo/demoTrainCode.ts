// The demo project's model, training and evaluation scripts (see demoCode.ts). The model is
// a logistic regression trained by mini-batch Adam on sparse features: small enough for
// plain Python to train in a fraction of a second, real enough to give plausible metrics.

import { CodeFlags, PARAMS_READER, YAML_WRITER, when } from './demoCode';

export const MODEL_SCRIPT = String.raw`"""The review classifier shared by training: logistic regression over sparse features, in
plain Python so the pipeline runs anywhere (no numpy, no torch)."""
import math


def build_model(n_in: int, hidden: int, layers: int = 2, dropout: float = 0.0) -> dict:
    # The model is linear; a family's size (hidden width x layers) sets how strongly its
    # weights are pulled towards zero, so the small family is the more regularised one.
    return {
        "n_in": n_in,
        "hidden": hidden,
        "layers": layers,
        "dropout": dropout,
        "weight_decay": 1.0 / (hidden * layers),
        "weights": [0.0] * n_in,
        "bias": 0.0,
    }


def predict_proba(model: dict, row: list) -> float:
    """P(positive review) for one sparse row of (feature index, value) pairs."""
    weights = model["weights"]
    z = model["bias"] + sum(weights[i] * v for i, v in row)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def log_loss(label: int, proba: float) -> float:
    proba = min(max(proba, 1e-7), 1 - 1e-7)
    return -math.log(proba if label == 1 else 1 - proba)


def batches(rows: list, labels: list, size: int, rng):
    """Shuffled mini-batches of (rows, labels)."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    for start in range(0, len(order), size):
        picked = order[start : start + size]
        yield [rows[i] for i in picked], [labels[i] for i in picked]


def bag_of_words(text: str, index: dict) -> list:
    """Binary word features: (index, 1.0) for each known word, by index."""
    return [(i, 1.0) for i in sorted({index[word] for word in text.split() if word in index})]


class Adam:
    """Adam that updates only the weights a batch touched (the features are sparse)."""

    def __init__(self, model: dict, lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        self.model, self.lr, self.betas, self.eps = model, lr, betas, eps
        self.m, self.v, self.steps = {}, {}, 0

    def step(self, grads: dict, lr: float = None) -> None:
        """grads: {feature index or "bias": gradient of the batch's mean loss}."""
        self.steps += 1
        b1, b2 = self.betas
        rate = (self.lr if lr is None else lr) * math.sqrt(1 - b2**self.steps) / (1 - b1**self.steps)
        weights = self.model["weights"]
        for key, grad in grads.items():
            value = self.model["bias"] if key == "bias" else weights[key]
            if key != "bias":
                grad += self.model["weight_decay"] * value
            m = self.m[key] = b1 * self.m.get(key, 0.0) + (1 - b1) * grad
            v = self.v[key] = b2 * self.v.get(key, 0.0) + (1 - b2) * grad * grad
            value -= rate * m / (math.sqrt(v) + self.eps)
            if key == "bias":
                self.model["bias"] = value
            else:
                weights[key] = value


def finished(model: dict) -> dict:
    """The model as saved: plain types, weights rounded so the bytes are platform-stable."""
    return {**model, "weights": [round(w, 6) for w in model["weights"]], "bias": round(model["bias"], 6)}
`;

const LOAD_PICKLE = String.raw`def load_pickle(path: str, stage: str):
    """Unpickles a file this pipeline wrote, or says which stage to reproduce first."""
    try:
        with open(path, "rb") as fh:
            data = pickle.load(fh)
    except Exception as error:
        data = error
    if not isinstance(data, dict):
        raise SystemExit(f"{path} was not written by the {stage} stage ({data!r}); reproduce {stage} first")
    return data
`;

export function trainScript(f: CodeFlags, pipeline: number): string {
  const live = pipeline >= 3;
  return String.raw`"""Train one model family: logistic regression by mini-batch Adam (see model.py)."""
import argparse
${when(pipeline === 1, 'import csv\n')}${when(live, 'import json\n')}import math
import os
import pickle
import random

from model import Adam, ${when(pipeline === 1, 'bag_of_words, ')}batches, build_model, finished, log_loss, predict_proba


${PARAMS_READER}

${
  pipeline === 1
    ? String.raw`def load_features(path: str) -> dict:
    """Binary bag of words over the training reviews' own vocabulary."""
    with open(path, newline="", encoding="utf-8") as fh:
        reviews = list(csv.DictReader(fh))
    vocabulary = sorted({word for review in reviews for word in review["text"].split()})
    index = {word: i for i, word in enumerate(vocabulary)}
    return {
        "vocabulary": vocabulary,
        "rows": [bag_of_words(review["text"], index) for review in reviews],
        "labels": [int(review["label"]) for review in reviews],
    }
`
    : LOAD_PICKLE
}
${when(
  live,
  String.raw`
${YAML_WRITER}

def write_live(params: dict, curve: list) -> None:
    """What DVCLive's Live() leaves in dvclive/: params, the last step's metrics and one TSV per
    metric. No wall-clock column, so a rerun writes the same bytes."""
    os.makedirs("dvclive/plots/metrics/train", exist_ok=True)
    for column, name in enumerate(("loss", "acc")):
        with open(f"dvclive/plots/metrics/train/{name}.tsv", "w", encoding="utf-8", newline="\n") as fh:
            fh.write(f"step\t{name}\n")
            fh.writelines(f"{step}\t{round(point[column], 4)}\n" for step, point in enumerate(curve))
    loss, acc = curve[-1]
    summary = {"train": {"loss": round(loss, 4), "acc": round(acc, 4)}, "step": len(curve) - 1}
    with open("dvclive/metrics.json", "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(summary, indent=4) + "\n")
    with open("dvclive/params.yaml", "w", encoding="utf-8", newline="\n") as fh:
        fh.write(to_yaml(params))

`,
)}
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", default="base")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("features")
    parser.add_argument("output")
    args = parser.parse_args()
    params = load_params()["train"]

    data = ${pipeline === 1 ? 'load_features(args.features)' : 'load_pickle(os.path.join(args.features, "train.pkl"), "featurize")'}
    rows, labels = data["rows"], data["labels"]
    model = build_model(len(data["vocabulary"]), args.hidden, **params["model"])
${when(pipeline === 1, '    model["vocabulary"] = data["vocabulary"]\n')}    # The params were tuned for a network; this linear stand-in needs larger steps, scaled
    # with the width of the family it stands in for (and lr=0.1 still diverges).
    base_lr = params["lr"] * math.sqrt(args.hidden)
    optimizer = Adam(model, base_lr)
    # Seeded by the family: a rerun shuffles and drops out the same way, so the bytes match.
    rng = random.Random(args.hidden)
    keep = 1.0 - model["dropout"]
    curve = []
${when(f.earlyStopping, '    best = float("inf")\n')}    for epoch in range(params["epochs"]):
${when(
  f.scheduler,
  String.raw`        # Cosine schedule: from lr down towards zero over the run.
        lr = base_lr * 0.5 * (1 + math.cos(math.pi * epoch / params["epochs"]))
`,
)}        loss, correct = 0.0, 0
        for xb, yb in batches(rows, labels, params["batch_size"], rng):
            grads = {}
            for row, label in zip(xb, yb):
                # Inverted dropout on the input features.
                row = [(i, v / keep) for i, v in row if rng.random() < keep]
                proba = predict_proba(model, row)
                loss += log_loss(label, proba)
                correct += (proba > 0.5) == (label == 1)
                error = (proba - label) / len(xb)
                for i, v in row:
                    grads[i] = grads.get(i, 0.0) + error * v
                grads["bias"] = grads.get("bias", 0.0) + error
${when(
  f.clipGrad,
  String.raw`            # Large learning rates blew the loss up without clipping.
            norm = math.sqrt(sum(g * g for g in grads.values()))
            if norm > 1.0:
                grads = {key: g / norm for key, g in grads.items()}
`,
)}            optimizer.step(grads${f.scheduler ? ', lr' : ''})
        loss /= len(rows)
        curve.append((loss, correct / len(rows)))
${when(
  f.earlyStopping,
  String.raw`        if loss > best * 1.05:
            break
        best = min(best, loss)
`,
)}
${when(
  live,
  String.raw`    if args.family == "large":
        # Both families would share one DVCLive folder; the large family's curves are kept.
        write_live({**params, "family": args.family}, curve)
`,
)}    os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
    with open(args.output, "wb") as fh:
        # Protocol 4 and plain types only, so the same inputs always give the same bytes.
        pickle.dump(finished(model), fh, protocol=4)


if __name__ == "__main__":
    main()
`;
}

export function evaluateScript(f: CodeFlags, pipeline: number): string {
  const two = pipeline >= 2;
  return String.raw`"""Score the trained model(s) and write metrics and plot data."""
${when(!two, 'import csv\n')}import json
import math
import os
import pickle
${when(two, 'import shutil\n')}import sys


${when(
  two,
  `${YAML_WRITER}

`,
)}${LOAD_PICKLE}

${
  two
    ? String.raw`def load_test(path: str) -> tuple:
    data = load_pickle(os.path.join(path, "test.pkl"), "featurize")
    return data["rows"], data["labels"]
`
    : String.raw`def load_test(path: str) -> tuple:
    with open(path, newline="", encoding="utf-8") as fh:
        reviews = list(csv.DictReader(fh))
    return [review["text"] for review in reviews], [int(review["label"]) for review in reviews]


def features(model: dict, texts: list) -> list:
    """Binary bag of words over the model's own vocabulary, as train.py built it."""
    index = {word: i for i, word in enumerate(model["vocabulary"])}
    return [[(i, 1.0) for i in sorted({index[w] for w in text.split() if w in index})] for text in texts]
`
}

def predict_proba(model: dict, row: list) -> float:
    z = model["bias"] + sum(model["weights"][i] * v for i, v in row)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def roc_auc(labels: list, proba: list) -> float:
    """How often a positive review outscores a negative one (ties count half)."""
    pos = [p for label, p in zip(labels, proba) if label == 1]
    neg = [p for label, p in zip(labels, proba) if label != 1]
    if not pos or not neg:
        return 0.5
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def roc_curve(labels: list, proba: list) -> list:
    """(fpr, tpr, threshold) at each distinct score, strictest threshold first."""
    positives = max(1, sum(1 for label in labels if label == 1))
    negatives = max(1, sum(1 for label in labels if label != 1))
    points = [(0.0, 0.0, 1.0)]
    for threshold in sorted(set(proba), reverse=True):
        tp = sum(1 for label, p in zip(labels, proba) if p >= threshold and label == 1)
        fp = sum(1 for label, p in zip(labels, proba) if p >= threshold and label != 1)
        points.append((fp / negatives, tp / positives, threshold))
    return points


def score(labels: list, proba: list) -> dict:
    hits = [(label == 1, p > 0.5) for label, p in zip(labels, proba)]
    tp = sum(1 for actual, predicted in hits if actual and predicted)
    fp = sum(1 for actual, predicted in hits if predicted and not actual)
    fn = sum(1 for actual, predicted in hits if actual and not predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    clipped = [min(max(p, 1e-7), 1 - 1e-7) for p in proba]
    return {
        "accuracy": sum(1 for actual, predicted in hits if actual == predicted) / len(hits),
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "precision": precision,
        "recall": recall,
        "roc_auc": roc_auc(labels, proba),
        "loss": -sum(math.log(p if label == 1 else 1 - p) for label, p in zip(labels, clipped)) / len(labels),
    }


def write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def rounded(metrics: dict, keys=None) -> dict:
    return {key: round(value, 4) for key, value in metrics.items() if keys is None or key in keys}


def main(argv: list) -> None:
    *model_paths, test_path = argv
    inputs, labels = load_test(test_path)
    results = {}
    for path in model_paths:
        model = load_pickle(path, "train")
        proba = [predict_proba(model, row) for row in ${two ? 'inputs' : 'features(model, inputs)'}]
        results[path] = {"model": model, "proba": proba, "metrics": score(labels, proba)}
${
  f.pickBest
    ? String.raw`    # The registry tracks one artifact; ship whichever family scored better.
    best = max(model_paths, key=lambda path: results[path]["metrics"]["roc_auc"])
`
    : `    best = model_paths[-1]
`
}    proba, metrics = results[best]["proba"], results[best]["metrics"]
    os.makedirs("eval/plots", exist_ok=True)
    roc = "".join(f"{round(fpr, 4)},{round(tpr, 4)},{round(t, 4)}\n" for fpr, tpr, t in roc_curve(labels, proba))
    write_text("eval/plots/roc.csv", "fpr,tpr,threshold\n" + roc)
    write_text("eval/metrics.json", json.dumps(rounded(metrics), indent=4) + "\n")
${when(
  two,
  String.raw`    names = {True: "positive", False: "negative"}
    confusion = "".join(f"{names[label == 1]},{names[p > 0.5]}\n" for label, p in zip(labels, proba))
    write_text("eval/plots/confusion.csv", "actual,predicted\n" + confusion)
    by_name = {os.path.splitext(os.path.basename(path))[0]: path for path in model_paths}
    scores = {name: rounded(results[by_name[name]]["metrics"], ("accuracy", "roc_auc")) for name in sorted(by_name)}
    write_text("eval/scores.yaml", to_yaml({"models": scores}))
    model = results[best]["model"]
    # A modelled serving latency (overhead plus a per-layer cost of the full-size network):
    # timing this run instead would give different bytes on every rerun.
    latency = 3 + 0.8 * model["layers"] * model["hidden"] / 256
    cached = {"test": {"accuracy": round(metrics["accuracy"], 4), "n_samples": len(labels)}, "latency_ms": round(latency, 2)}
    write_text("eval/cached_metrics.json", json.dumps(cached, indent=4) + "\n")
    shutil.copyfile(best, "models/model.pkl")
`,
)}

if __name__ == "__main__":
    main(sys.argv[1:])
`;
}
