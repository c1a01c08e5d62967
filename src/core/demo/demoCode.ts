// Source files of the demo classifier project. They are never run; they exist so code
// changes show up in history (and in dvc.lock dep hashes) the way a real project's would.

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

export function prepareScript(f: CodeFlags): string {
  return `"""Split the raw reviews into train and test sets."""
import sys
from pathlib import Path

import pandas as pd
import yaml
from sklearn.model_selection import train_test_split


def main(raw_path: str, out_dir: str) -> None:
    params = yaml.safe_load(open("params.yaml"))["prepare"]
    df = pd.read_csv(raw_path)
${f.dedupe ? '    # Identical reviews used to land on both sides of the split and inflate accuracy.\n    df = df.drop_duplicates(subset="text")\n' : ''}    train, test = train_test_split(
        df,
        test_size=params["split"],
        random_state=params["seed"],${f.stratify ? '\n        stratify=df["label"],' : ''}
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    train.to_csv(out / "train.csv", index=False)
    test.to_csv(out / "test.csv", index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
`;
}

export function featurizeScript(f: CodeFlags): string {
  return `"""Turn review text into TF-IDF features."""
import pickle
import sys
from pathlib import Path

import pandas as pd
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer


def main(in_dir: str, out_dir: str) -> None:
    params = yaml.safe_load(open("params.yaml"))["featurize"]
    vectorizer = TfidfVectorizer(
        max_features=params["max_features"],
        ngram_range=(1, params["ngrams"]),
        lowercase=${f.lowercase ? 'True' : 'False'},
    )
    train = pd.read_csv(Path(in_dir) / "train.csv")
    test = pd.read_csv(Path(in_dir) / "test.csv")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "train.pkl", "wb") as fh:
        pickle.dump((vectorizer.fit_transform(train.text), train.label), fh)
    with open(out / "test.pkl", "wb") as fh:
        pickle.dump((vectorizer.transform(test.text), test.label), fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
`;
}

export function trainScript(f: CodeFlags, pipeline: number): string {
  const live = pipeline >= 3;
  return `"""Train a small feed-forward classifier."""
import argparse
import pickle

import torch
import yaml
${live ? 'from dvclive import Live\n' : ''}
from model import build_model, batches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", default="base")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("features")
    parser.add_argument("output")
    args = parser.parse_args()
    params = yaml.safe_load(open("params.yaml"))["train"]

    with open(args.features + "/train.pkl" if ${pipeline >= 2 ? 'True' : 'False'} else args.features, "rb") as fh:
        x, y = pickle.load(fh)
    model = build_model(x.shape[1], args.hidden, **params["model"])
    optimizer = torch.optim.Adam(model.parameters(), lr=params["lr"])
${f.scheduler ? '    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, params["epochs"])\n' : ''}${live ? '    with Live() as live:\n        live.log_params({**params, "family": args.family})\n' : ''}    best = float("inf")
    for epoch in range(params["epochs"]):
        loss, acc = 0.0, 0.0
        for xb, yb in batches(x, y, params["batch_size"]):
            optimizer.zero_grad()
            out = model(xb)
            step_loss = torch.nn.functional.cross_entropy(out, yb)
            step_loss.backward()
${f.clipGrad ? '            # Large learning rates blew the loss up to NaN without clipping.\n            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n' : ''}            optimizer.step()
            loss += step_loss.item()
            acc += (out.argmax(1) == yb).float().mean().item()
${f.scheduler ? '        scheduler.step()\n' : ''}${live ? '        live.log_metric("train/loss", loss)\n        live.log_metric("train/acc", acc)\n        live.next_step()\n' : ''}${f.earlyStopping ? '        if loss > best * 1.05:\n            break\n' : ''}        best = min(best, loss)

    with open(args.output, "wb") as fh:
        pickle.dump(model, fh)


if __name__ == "__main__":
    main()
`;
}

export function evaluateScript(f: CodeFlags, pipeline: number): string {
  return `"""Score the trained model(s) and write metrics and plot data."""
import json
import pickle
import sys
from pathlib import Path

import yaml
from sklearn import metrics


def score(model_path: str, x, y) -> dict:
    with open(model_path, "rb") as fh:
        model = pickle.load(fh)
    proba = model.predict_proba(x)[:, 1]
    pred = proba > 0.5
    return {
        "accuracy": metrics.accuracy_score(y, pred),
        "f1": metrics.f1_score(y, pred),
        "roc_auc": metrics.roc_auc_score(y, proba),
        "proba": proba,
    }


def main(argv: list) -> None:
    *models, features = argv
    with open(Path(features) / "test.pkl" if ${pipeline >= 2 ? 'True' : 'False'} else features, "rb") as fh:
        x, y = pickle.load(fh)
    results = {m: score(m, x, y) for m in models}
${f.pickBest ? '    # The registry tracks one artifact; ship whichever family scored better.\n    best = max(results, key=lambda m: results[m]["roc_auc"])\n' : '    best = models[-1]\n'}    Path("eval/plots").mkdir(parents=True, exist_ok=True)
    fpr, tpr, thr = metrics.roc_curve(y, results[best]["proba"])
    with open("eval/plots/roc.csv", "w") as fh:
        fh.write("fpr,tpr,threshold\\n")
        fh.writelines(f"{a},{b},{c}\\n" for a, b, c in zip(fpr, tpr, thr))
    summary = {k: v for k, v in results[best].items() if k != "proba"}
    json.dump(summary, open("eval/metrics.json", "w"), indent=4)
${pipeline >= 2 ? '    yaml.safe_dump({"models": {Path(m).stem: {k: v for k, v in r.items() if k != "proba"} for m, r in results.items()}}, open("eval/scores.yaml", "w"))\n    Path("models/model.pkl").write_bytes(Path(best).read_bytes())\n' : ''}

if __name__ == "__main__":
    main(sys.argv[1:])
`;
}

export function readme(pipeline: number): string {
  return `# Review sentiment classifier

Classifies product reviews as positive or negative. The pipeline is managed with
[DVC](https://dvc.org): \`dvc repro\` rebuilds everything from \`data/raw.csv\`.

## Stages
- \`prepare\`: train/test split (\`params.yaml: prepare\`)
${pipeline >= 2 ? '- `featurize`: TF-IDF features (`params.yaml: featurize`)\n- `train@small`, `train@large`: two model families from one `foreach` stage\n' : '- `train`: feed-forward classifier\n'}- \`evaluate\`: metrics in \`eval/\`, ROC${pipeline >= 2 ? ' and confusion' : ''} plot data in \`eval/plots/\`
${pipeline >= 3 ? '\nTraining curves are logged with DVCLive into `dvclive/`.\n' : ''}`;
}

export function requirements(pipeline: number, liveV3: boolean): string {
  const lines = ['dvc>=3.30', 'pandas>=2.1', 'pyyaml>=6.0', 'scikit-learn>=1.3', 'torch>=2.1'];
  if (pipeline >= 3) {
    lines.push(liveV3 ? 'dvclive>=3.0' : 'dvclive>=2.16');
  }
  return lines.sort().join('\n') + '\n';
}

export const MODEL_SCRIPT = `"""Model definition shared by training and evaluation."""
import torch


def build_model(n_in: int, hidden: int, layers: int = 2, dropout: float = 0.0) -> torch.nn.Module:
    blocks = []
    width = n_in
    for _ in range(layers):
        blocks += [torch.nn.Linear(width, hidden), torch.nn.ReLU(), torch.nn.Dropout(dropout)]
        width = hidden
    return torch.nn.Sequential(*blocks, torch.nn.Linear(width, 2))


def batches(x, y, size: int):
    for start in range(0, x.shape[0], size):
        xb = torch.tensor(x[start : start + size].toarray(), dtype=torch.float32)
        yb = torch.tensor(y[start : start + size].values)
        yield xb, yb
`;
