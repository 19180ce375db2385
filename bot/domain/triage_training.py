"""Training the triage's second opinion (bot/domain/second_opinion.py) offline.

`python -m bot triage train` reads the training parts of the labelled set (never a held-out
part), reads each message as the rules do, and fits a logistic regression: acute against
everything else. scikit-learn is needed here only, so it is a development dependency; the
bot reads the weights it writes.

The thresholds are set by cross-validation, not by eye, so what the second opinion adds in
false alarms is bounded before any held-out part is looked at:
- of the ordinary messages the rules leave ordinary, it may ask about at most
  FALSE_ALARM_BUDGET when it has not seen them;
- of the messages that are not acute and that the rules do not answer as acute, it may give
  the 112 answer to at most ACUTE_BUDGET.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from bot.domain.second_opinion import SecondOpinion, features
from bot.domain.triage import RULES_FILE, Level, Triage
from bot.domain.triage_eval import load

FALSE_ALARM_BUDGET = 0.04
ACUTE_BUDGET = 0.01
REGULARISATION = 3.0  # scikit-learn's C: chosen by cross-validation on the training parts
FOLDS = 10
SMALLEST_WEIGHT = 1e-3  # weights smaller than this change no verdict: left out of the file


def digest(paths: Sequence[Path]) -> str:
    """What a model was trained on: its parts and the vocabulary whose concepts it uses."""
    hashed = hashlib.sha256()
    for path in [RULES_FILE, *paths]:
        hashed.update(path.read_bytes())
    return hashed.hexdigest()[:16]


def train(rules: Triage, paths: Sequence[Path]) -> SecondOpinion:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows, acute, left_ordinary, not_acute = [], [], [], []
    for path in paths:
        for label, by_language in load(path).items():
            for language, messages in by_language.items():
                for text in messages:
                    clauses = rules.read(text, language)  # read once: for both below
                    rows.append(dict.fromkeys(features(clauses), 1))
                    acute.append(label == Level.ACUTE)
                    verdict = rules.judge(clauses).level
                    left_ordinary.append(label == Level.ORDINARY and verdict == Level.ORDINARY)
                    not_acute.append(label != Level.ACUTE and verdict != Level.ACUTE)
    vectors = DictVectorizer()
    matrix = vectors.fit_transform(rows)
    target = np.array(acute)
    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    unseen = cross_val_predict(model, matrix, target, cv=folds, method="predict_proba")[:, 1]
    threshold = float(np.quantile(unseen[np.array(left_ordinary)], 1 - FALSE_ALARM_BUDGET))
    acute_threshold = float(np.quantile(unseen[np.array(not_acute)], 1 - ACUTE_BUDGET))
    model.fit(matrix, target)
    weights = {
        name: round(float(weight), 4)
        for name, weight in zip(vectors.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(weight) >= SMALLEST_WEIGHT
    }
    return SecondOpinion(
        weights,
        round(float(model.intercept_[0]), 4),
        round(threshold, 4),
        round(max(acute_threshold, threshold), 4),
        digest(paths),
    )
